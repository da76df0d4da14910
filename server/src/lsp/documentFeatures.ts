import type { CompletionItem } from 'vscode-languageserver/node';
import { describe, guarded, isTemplate, textOf, type ServerContext } from './context';
import { ManifestLanguageService } from './manifestLanguageService';

/** The standard LSP features, each routed to the manifest or the template service by the document. */
export function registerDocumentFeatures(context: ServerContext): void {
  const { connection, manifests, templateFeatures } = context;
  const document = (uri: string) => textOf(context, uri);

  connection.onCompletion(
    guarded(context, 'completion', null, (p) => {
      const d = document(p.textDocument.uri);
      if (!d) return null;
      return isTemplate(d.uri)
        ? templateFeatures.complete(d, p.position)
        : manifests.complete(d, p.position, context.client.itemDefaults);
    }),
  );
  connection.onCompletionResolve((item: CompletionItem) => {
    try {
      const uri = ManifestLanguageService.completionUri(item);
      return manifests.resolveCompletion(uri ? document(uri) : undefined, item);
    } catch (error) {
      connection.console.error(`completionResolve failed: ${describe(error)}`);
      return item;
    }
  });
  connection.onHover(
    guarded(context, 'hover', null, (p) => {
      const d = document(p.textDocument.uri);
      if (!d) return null;
      return isTemplate(d.uri) ? templateFeatures.hover(d, p.position) : manifests.hover(d, p.position);
    }),
  );
  connection.onCodeAction(
    guarded(context, 'codeAction', [], (p) => {
      const d = document(p.textDocument.uri);
      if (!d) return [];
      return isTemplate(d.uri)
        ? templateFeatures.codeActions(d, p.range)
        : manifests.codeActions(d, p.range, context.client.codeActionResolve);
    }),
  );
  connection.onCodeActionResolve((action) => {
    try {
      const data = action.data as { uri?: unknown } | undefined;
      return manifests.resolveCodeAction(typeof data?.uri === 'string' ? document(data.uri) : undefined, action);
    } catch (error) {
      connection.console.error(`codeActionResolve failed: ${describe(error)}`);
      return action;
    }
  });
  registerNavigation(context);
  registerStructure(context);
}

/** Definition, references, rename, symbols, CodeLens: manifests only. */
function registerNavigation(context: ServerContext): void {
  const { connection, manifests } = context;
  const manifest = (uri: string) => (isTemplate(uri) ? undefined : textOf(context, uri));
  connection.onDefinition(
    guarded(context, 'definition', null, (p) => {
      const d = manifest(p.textDocument.uri);
      return d ? manifests.definition(d, p.position) : null;
    }),
  );
  connection.onReferences(
    guarded(context, 'references', [], (p) => {
      const d = manifest(p.textDocument.uri);
      return d ? manifests.references(d, p.position, p.context.includeDeclaration) : [];
    }),
  );
  connection.onPrepareRename(
    guarded(context, 'prepareRename', null, (p) => {
      const d = manifest(p.textDocument.uri);
      return d ? manifests.prepareRename(d, p.position) : null;
    }),
  );
  connection.onRenameRequest(
    guarded(context, 'rename', null, (p) => {
      const d = manifest(p.textDocument.uri);
      return d ? manifests.rename(d, p.position, p.newName) : null;
    }),
  );
  connection.onCodeLens(
    guarded(context, 'codeLens', [], (p) => {
      const d = manifest(p.textDocument.uri);
      return d ? manifests.codeLenses(d) : [];
    }),
  );
  connection.onDocumentSymbol(
    guarded(context, 'documentSymbol', [], (p) => {
      const d = manifest(p.textDocument.uri);
      return d ? manifests.documentSymbols(d) : [];
    }),
  );
}

/** Formatting, folding, selection ranges and links: what VS Code's JSON support gives .json files. */
function registerStructure(context: ServerContext): void {
  const { connection, manifests } = context;
  const manifest = (uri: string) => (isTemplate(uri) ? undefined : textOf(context, uri));
  connection.onDocumentFormatting(
    guarded(context, 'formatting', [], (p) => {
      const d = manifest(p.textDocument.uri);
      return d ? manifests.format(d, undefined, p.options) : [];
    }),
  );
  connection.onDocumentRangeFormatting(
    guarded(context, 'rangeFormatting', [], (p) => {
      const d = manifest(p.textDocument.uri);
      return d ? manifests.format(d, p.range, p.options) : [];
    }),
  );
  connection.onFoldingRanges(
    guarded(context, 'foldingRange', [], (p) => {
      const d = manifest(p.textDocument.uri);
      return d ? manifests.foldingRanges(d) : [];
    }),
  );
  connection.onSelectionRanges(
    guarded(context, 'selectionRange', [], (p) => {
      const d = manifest(p.textDocument.uri);
      return d ? manifests.selectionRanges(d, p.positions) : [];
    }),
  );
  connection.onDocumentLinks(
    guarded(context, 'documentLink', [], (p) => {
      const d = manifest(p.textDocument.uri);
      return d ? manifests.documentLinks(d) : [];
    }),
  );
}
