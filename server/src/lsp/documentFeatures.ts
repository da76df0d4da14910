import type { CancellationToken, CompletionItem } from 'vscode-languageserver/node';
import { describe, guarded, isTemplate, textOf, type ServerContext } from './context';
import { ManifestLanguageService, type ManifestText } from './manifestLanguageService';

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
        ? templateFeatures.codeActions(d, p.context.diagnostics)
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

/**
 * A request about a manifest only: `run` gets the open manifest, guarded; a template or an unknown document
 * gets `fallback`.
 */
function forManifest<P extends { textDocument: { uri: string } }, R>(
  context: ServerContext,
  name: string,
  fallback: R,
  run: (document: ManifestText, params: P) => R,
): (params: P, token: CancellationToken) => Promise<R> {
  return guarded(context, name, fallback, (p: P) => {
    const d = isTemplate(p.textDocument.uri) ? undefined : textOf(context, p.textDocument.uri);
    return d ? run(d, p) : fallback;
  });
}

/** Definition, references, rename, symbols, CodeLens: manifests only. */
function registerNavigation(context: ServerContext): void {
  const { connection, manifests } = context;
  connection.onDefinition(forManifest(context, 'definition', null, (d, p) => manifests.definition(d, p.position)));
  connection.onReferences(
    forManifest(context, 'references', [], (d, p) => manifests.references(d, p.position, p.context.includeDeclaration)),
  );
  connection.onPrepareRename(
    forManifest(context, 'prepareRename', null, (d, p) => manifests.prepareRename(d, p.position)),
  );
  connection.onRenameRequest(
    forManifest(context, 'rename', null, (d, p) => manifests.rename(d, p.position, p.newName)),
  );
  connection.onCodeLens(forManifest(context, 'codeLens', [], (d) => manifests.codeLenses(d)));
  connection.onDocumentSymbol(forManifest(context, 'documentSymbol', [], (d) => manifests.documentSymbols(d)));
}

/** Formatting, folding, selection ranges and links: what VS Code's JSON support gives .json files. */
function registerStructure(context: ServerContext): void {
  const { connection, manifests } = context;
  connection.onDocumentFormatting(
    forManifest(context, 'formatting', [], (d, p) => manifests.format(d, undefined, p.options)),
  );
  connection.onDocumentRangeFormatting(
    forManifest(context, 'rangeFormatting', [], (d, p) => manifests.format(d, p.range, p.options)),
  );
  connection.onFoldingRanges(forManifest(context, 'foldingRange', [], (d) => manifests.foldingRanges(d)));
  connection.onSelectionRanges(
    forManifest(context, 'selectionRange', [], (d, p) => manifests.selectionRanges(d, p.positions)),
  );
  connection.onDocumentLinks(forManifest(context, 'documentLink', [], (d) => manifests.documentLinks(d)));
}
