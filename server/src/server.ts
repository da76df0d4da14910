import { fileURLToPath } from 'url';
import {
  createConnection, ProposedFeatures, ResponseError, ErrorCodes, TextDocuments, TextDocumentSyncKind, CodeActionKind,
  type CompletionItem, type Connection, type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ManifestLanguageService } from './languageService';
import { nodeFiles } from './manifest/nodeFiles';
import { RenameRefusal } from './navigation/variables';
import { VARIABLES_REQUEST, type VariablesParams } from './protocol';

const connection: Connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
let workspaceFolders: string[] = [];
let itemDefaultsEditRange = false;
const service = new ManifestLanguageService({ files: nodeFiles, workspaceFolders: () => workspaceFolders });

function describe(error: unknown): string {
  return error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
}

/** Every request gets an answer: a failing feature logs and answers empty instead of leaving the client waiting. */
function guarded<P, R>(name: string, fallback: R, handler: (params: P) => R | Promise<R>): (params: P) => Promise<R> {
  return async (params: P) => {
    try {
      return await handler(params);
    } catch (error) {
      if (error instanceof RenameRefusal) throw new ResponseError(ErrorCodes.InvalidRequest, error.message);
      connection.console.error(`${name} failed: ${describe(error)}`);
      return fallback;
    }
  };
}

function textOf(uri: string) {
  const document = documents.get(uri);
  return document ? { uri, version: document.version, text: document.getText() } : undefined;
}

connection.onInitialize((params): InitializeResult => {
  itemDefaultsEditRange = params.capabilities.textDocument?.completion?.completionList?.itemDefaults?.includes('editRange') ?? false;
  workspaceFolders = (params.workspaceFolders ?? []).filter((f) => f.uri.startsWith('file:')).map((f) => fileURLToPath(f.uri));
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      completionProvider: { triggerCharacters: ['$', '.', '"', ':'], resolveProvider: true },
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite] },
      definitionProvider: true,
      referencesProvider: true,
      renameProvider: { prepareProvider: true },
      documentSymbolProvider: true,
    },
    serverInfo: { name: 'amplitude-integration-server', version: '0.1.0' },
  };
});

// Validation runs after the burst of edits that arrived together, on the newest text only.
const pending = new Set<string>();
let scheduled = false;
function scheduleValidation(uri: string): void {
  pending.add(uri);
  if (scheduled) return;
  scheduled = true;
  setImmediate(() => {
    scheduled = false;
    const uris = [...pending];
    pending.clear();
    for (const target of uris) {
      const document = textOf(target);
      if (!document) continue;
      try {
        void connection.sendDiagnostics({ uri: target, version: document.version, diagnostics: service.diagnostics(document) });
      } catch (error) {
        connection.console.error(`Validation of ${target} failed: ${describe(error)}`);
      }
    }
  });
}

documents.onDidOpen((e) => scheduleValidation(e.document.uri));
documents.onDidChangeContent((e) => scheduleValidation(e.document.uri));
documents.onDidClose((e) => {
  service.forget(e.document.uri);
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

// A logo, template or image appeared or vanished: file checks must run again.
connection.onDidChangeWatchedFiles(() => {
  service.invalidateAll();
  for (const document of documents.all()) scheduleValidation(document.uri);
});

connection.onCompletion(guarded('completion', null, (p) => {
  lastCompletionUri = p.textDocument.uri;
  const document = textOf(p.textDocument.uri);
  return document ? service.complete(document, p.position, itemDefaultsEditRange) : null;
}));
// The document is not named in a resolve request: the item's data is enough, with the manifest that asked last.
let lastCompletionUri: string | undefined;
connection.onCompletionResolve((item: CompletionItem) => {
  try {
    return service.resolveCompletion(lastCompletionUri ? textOf(lastCompletionUri) : undefined, item);
  } catch (error) {
    connection.console.error(`completionResolve failed: ${describe(error)}`);
    return item;
  }
});
connection.onHover(guarded('hover', null, (p) => {
  const document = textOf(p.textDocument.uri);
  return document ? service.hover(document, p.position) : null;
}));
connection.onCodeAction(guarded('codeAction', [], (p) => {
  const document = textOf(p.textDocument.uri);
  return document ? service.codeActions(document, p.range) : [];
}));
connection.onDefinition(guarded('definition', null, (p) => {
  const document = textOf(p.textDocument.uri);
  return document ? service.definition(document, p.position) : null;
}));
connection.onReferences(guarded('references', [], (p) => {
  const document = textOf(p.textDocument.uri);
  return document ? service.references(document, p.position, p.context.includeDeclaration) : [];
}));
connection.onPrepareRename(guarded('prepareRename', null, (p) => {
  const document = textOf(p.textDocument.uri);
  return document ? service.prepareRename(document, p.position) : null;
}));
connection.onRenameRequest(guarded('rename', null, (p) => {
  const document = textOf(p.textDocument.uri);
  return document ? service.rename(document, p.position, p.newName) : null;
}));
connection.onDocumentSymbol(guarded('documentSymbol', [], (p) => {
  const document = textOf(p.textDocument.uri);
  return document ? service.documentSymbols(document) : [];
}));
connection.onRequest(VARIABLES_REQUEST, guarded('variables', null, (p: VariablesParams) => {
  const document = textOf(p.uri);
  return document ? service.variables(document) : null;
}));

process.on('uncaughtException', (error) => connection.console.error(`Unexpected error: ${describe(error)}`));
process.on('unhandledRejection', (error) => connection.console.error(`Unexpected rejection: ${describe(error)}`));

documents.listen(connection);
connection.listen();
