import './heapPolicy';
import {
  decodeText,
  isInside,
  locateReference,
  MAX_TEXT_BYTES,
  readRegularFile,
  type FileLocation,
} from './base/files';
import * as path from 'path';
import { fileURLToPath } from 'url';
import {
  createConnection,
  ProposedFeatures,
  ResponseError,
  ErrorCodes,
  TextDocuments,
  TextDocumentSyncKind,
  CodeActionKind,
  type CodeAction,
  type CompletionItem,
  type Range,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ManifestLanguageService, toLspDiagnostic } from './languageService';
import { nodeFiles } from './manifest/nodeFiles';
import { RenameRefusal } from './navigation/variables';
import { MarkupKind, type Diagnostic } from 'vscode-languageserver-types';
import type { ManifestDiagnostic } from './diagnostics/types';
import { SAMPLE_EVENTS } from './freemarker/sampleEvents';
import { LineIndex } from './manifest/text';
import {
  LOCATE_REQUEST,
  PREVIEW_REQUEST,
  RENDER_TEMPLATE_REQUEST,
  VARIABLES_REQUEST,
  type LocateAnswer,
  type LocateParams,
  type PreviewAnswer,
  type PreviewParams,
  type RenderTemplateParams,
  type RenderTemplateResult,
  type VariablesParams,
} from './protocol';
import { TemplateService } from './templates/templateService';

const connection: Connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
let workspaceFolders: string[] = [];
let itemDefaultsEditRange = false;
let codeActionResolve = false;
const service = new ManifestLanguageService({ files: nodeFiles, workspaceFolders: () => workspaceFolders });
let freemarkerJar: string | undefined;
let renderTimeoutMs = 5000;
const templates = new TemplateService({
  workspaceFolders: () => workspaceFolders,
  openText: (file) =>
    documents
      .all()
      .find((d) => d.uri.startsWith('file:') && fileURLToPath(d.uri) === file)
      ?.getText(),
  workerDir: path.join(__dirname, 'freemarker'),
  jar: () => freemarkerJar,
  timeoutMs: () => renderTimeoutMs,
});

const isTemplate = (uri: string) => uri.endsWith('.ftl');
const filePathOf = (uri: string) => (uri.startsWith('file:') ? fileURLToPath(uri) : undefined);

function toLspDiagnostics(text: string, found: ManifestDiagnostic[]): Diagnostic[] {
  const lines = new LineIndex(text);
  return found.map((d) => toLspDiagnostic(lines, d));
}

// The engine's checks run a moment after typing stops, on the newest text only.
const engineTimers = new Map<string, NodeJS.Timeout>();
function validateTemplate(uri: string, text: string, version: number): void {
  const file = filePathOf(uri);
  const fast = templates.staticDiagnostics(file, text);
  void connection.sendDiagnostics({ uri, version, diagnostics: toLspDiagnostics(text, fast) });
  clearTimeout(engineTimers.get(uri));
  engineTimers.set(
    uri,
    setTimeout(() => {
      engineTimers.delete(uri);
      templates.engineDiagnostics(file, text).then(
        (slow) => {
          if (documents.get(uri)?.version !== version) return;
          void connection.sendDiagnostics({ uri, version, diagnostics: toLspDiagnostics(text, [...fast, ...slow]) });
        },
        (error: unknown) => connection.console.error(`Template check of ${uri} failed: ${describe(error)}`),
      );
    }, 400),
  );
}

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
  itemDefaultsEditRange =
    params.capabilities.textDocument?.completion?.completionList?.itemDefaults?.includes('editRange') ?? false;
  codeActionResolve =
    params.capabilities.textDocument?.codeAction?.resolveSupport?.properties.includes('edit') ?? false;
  const init = (params.initializationOptions ?? {}) as { freemarkerJar?: string; renderTimeoutMs?: number };
  freemarkerJar = init.freemarkerJar || undefined;
  renderTimeoutMs = init.renderTimeoutMs ?? 5000;
  workspaceFolders = (params.workspaceFolders ?? [])
    .filter((f) => f.uri.startsWith('file:'))
    .map((f) => fileURLToPath(f.uri));
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      completionProvider: { triggerCharacters: ['$', '.', '"', ':'], resolveProvider: true },
      hoverProvider: true,
      codeActionProvider: {
        codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite],
        resolveProvider: true,
      },
      definitionProvider: true,
      referencesProvider: true,
      renameProvider: { prepareProvider: true },
      documentSymbolProvider: true,
      codeLensProvider: { resolveProvider: false },
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
        if (isTemplate(target)) {
          validateTemplate(target, document.text, document.version);
          continue;
        }
        void connection.sendDiagnostics({
          uri: target,
          version: document.version,
          diagnostics: service.diagnostics(document),
        });
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
  clearTimeout(engineTimers.get(e.document.uri));
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

// A logo, template or image appeared or vanished: file checks must run again.
connection.onDidChangeWatchedFiles(() => {
  service.invalidateAll();
  templates.invalidate();
  for (const document of documents.all()) scheduleValidation(document.uri);
});

connection.onCompletion(
  guarded('completion', null, (p) => {
    lastCompletionUri = p.textDocument.uri;
    const document = textOf(p.textDocument.uri);
    if (document && isTemplate(document.uri)) {
      const offset = new LineIndex(document.text).offsetAt(p.position);
      const found = templates.complete(filePathOf(document.uri), document.text, offset);
      if (!found) return null;
      const range = { start: new LineIndex(document.text).positionAt(found.start), end: p.position };
      return {
        isIncomplete: false,
        items: found.items.map((item) => ({ ...item, textEdit: { range, newText: item.label } })),
      };
    }
    return document ? service.complete(document, p.position, itemDefaultsEditRange) : null;
  }),
);
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
connection.onHover(
  guarded('hover', null, (p) => {
    const document = textOf(p.textDocument.uri);
    if (document && isTemplate(document.uri)) {
      const lines = new LineIndex(document.text);
      const found = templates.hover(filePathOf(document.uri), document.text, lines.offsetAt(p.position));
      return found
        ? { contents: { kind: MarkupKind.Markdown, value: found.markdown }, range: lines.rangeOf(found.span) }
        : null;
    }
    return document ? service.hover(document, p.position) : null;
  }),
);
connection.onCodeAction(
  guarded('codeAction', [], (p) => {
    const document = textOf(p.textDocument.uri);
    if (!document) return [];
    if (isTemplate(document.uri)) return templateCodeActions(document, p.range);
    return service.codeActions(document, p.range, codeActionResolve);
  }),
);
connection.onCodeActionResolve((action) => {
  try {
    const data = action.data as { uri?: unknown } | undefined;
    return service.resolveCodeAction(typeof data?.uri === 'string' ? textOf(data.uri) : undefined, action);
  } catch (error) {
    connection.console.error(`codeActionResolve failed: ${describe(error)}`);
    return action;
  }
});

/** Quick fixes in a body template (few, small): computed at once. */
function templateCodeActions(document: { uri: string; text: string }, range: Range): CodeAction[] {
  const lines = new LineIndex(document.text);
  const from = lines.offsetAt(range.start);
  const to = lines.offsetAt(range.end);
  return templates
    .staticDiagnostics(filePathOf(document.uri), document.text)
    .filter((d) => d.fixes && d.start <= to && from <= d.end)
    .flatMap((d) =>
      (d.fixes ?? []).map((fix) => ({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        isPreferred: fix.preferred,
        diagnostics: toLspDiagnostics(document.text, [d]),
        edit: {
          changes: {
            [document.uri]: fix.edits().map((e) => ({
              range: lines.rangeOf({ start: e.offset, end: e.offset + e.length }),
              newText: e.content,
            })),
          },
        },
      })),
    );
}
connection.onDefinition(
  guarded('definition', null, (p) => {
    const document = textOf(p.textDocument.uri);
    return document ? service.definition(document, p.position) : null;
  }),
);
connection.onReferences(
  guarded('references', [], (p) => {
    const document = textOf(p.textDocument.uri);
    return document ? service.references(document, p.position, p.context.includeDeclaration) : [];
  }),
);
connection.onPrepareRename(
  guarded('prepareRename', null, (p) => {
    const document = textOf(p.textDocument.uri);
    return document ? service.prepareRename(document, p.position) : null;
  }),
);
connection.onRenameRequest(
  guarded('rename', null, (p) => {
    const document = textOf(p.textDocument.uri);
    return document ? service.rename(document, p.position, p.newName) : null;
  }),
);
connection.onCodeLens(
  guarded('codeLens', [], (p) => {
    const document = textOf(p.textDocument.uri);
    return document && !isTemplate(document.uri) ? service.codeLenses(document) : [];
  }),
);
connection.onDocumentSymbol(
  guarded('documentSymbol', [], (p) => {
    const document = textOf(p.textDocument.uri);
    return document ? service.documentSymbols(document) : [];
  }),
);
connection.onRequest(
  VARIABLES_REQUEST,
  guarded('variables', null, (p: VariablesParams) => {
    const document = textOf(p.uri);
    return document ? service.variables(document) : null;
  }),
);

connection.onRequest(
  PREVIEW_REQUEST,
  guarded('preview', null, (p: PreviewParams): PreviewAnswer | null => {
    const document = textOf(p.uri);
    return document ? service.preview(document) : null;
  }),
);

connection.onRequest(
  LOCATE_REQUEST,
  guarded('locate', null, (p: LocateParams): LocateAnswer => {
    const document = textOf(p.uri);
    return document && Array.isArray(p.path) ? service.locate(document, p.path) : null;
  }),
);

connection.onRequest(
  RENDER_TEMPLATE_REQUEST,
  guarded('renderTemplate', null, async (p: RenderTemplateParams): Promise<RenderTemplateResult | null> => {
    // An open template's newest text, else the file on disk (Test Endpoint renders templates that are not open);
    // either way only inside a workspace folder: the URI can come from a manifest someone else wrote.
    const file = filePathOf(p.uri);
    const open = textOf(p.uri);
    // Without a workspace folder only what the user has open themselves is rendered, and nothing is read.
    const allowed = file && (workspaceFolders.length > 0 || !open) ? workspaceFile(file) : undefined;
    if (file && allowed && !allowed.ok) return refusedRender(`The template ${file} ${allowed.reason}.`);
    let document = open;
    if (!document && allowed?.ok) {
      const read = readRegularFile(allowed.path, MAX_TEXT_BYTES);
      if (!read.ok) return refusedRender(`The template ${file} ${read.reason}.`);
      document = { uri: p.uri, version: 0, text: decodeText(read) };
    }
    if (!document) return null;
    const sample = SAMPLE_EVENTS.find((s) => s.name === p.sample) ?? SAMPLE_EVENTS[0];
    const result = await templates.render(filePathOf(p.uri), document.text, p.event ?? sample.event, p.parameters);
    return {
      ok: result.ok,
      output: result.ok ? result.output : undefined,
      error: result.ok
        ? undefined
        : { message: result.error.message, line: result.error.line, column: result.error.column },
      engineVersion: result.version,
      ms: result.ms,
      samples: SAMPLE_EVENTS.map((s) => s.name),
    };
  }),
);
/** A file the server may read: inside a workspace folder once links are resolved (no folders: none on disk). */
function workspaceFile(file: string): FileLocation | undefined {
  const folder = workspaceFolders.find((f) => isInside(f, file));
  if (!folder) return { ok: false, code: 'outside-workspace', reason: 'is outside the workspace, so it is not read' };
  return locateReference(path.relative(folder, file), { baseDir: folder, rootDir: folder });
}

function refusedRender(message: string): RenderTemplateResult {
  return {
    ok: false,
    error: { message, line: 0, column: 0 },
    ms: 0,
    samples: SAMPLE_EVENTS.map((sample) => sample.name),
  };
}

connection.onShutdown(() => templates.dispose());

process.on('uncaughtException', (error) => connection.console.error(`Unexpected error: ${describe(error)}`));
process.on('unhandledRejection', (error) => connection.console.error(`Unexpected rejection: ${describe(error)}`));

documents.listen(connection);
connection.listen();
