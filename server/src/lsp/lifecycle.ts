import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  TextDocumentSyncKind,
  type InitializeResult,
} from 'vscode-languageserver/node';
import type { ServerContext } from './context';
import type { Validation } from './validation';
import { filePathOf, settingsFrom, type ServerSettings } from './workspace';

/** The local folders among the client's workspace folders; one that is no local path here is logged and skipped. */
function foldersFrom(folders: readonly { uri: string }[] | null | undefined, log: (line: string) => void): string[] {
  const found: string[] = [];
  for (const folder of folders ?? []) {
    const file = filePathOf(folder.uri);
    if (file !== undefined) found.push(file);
    else if (folder.uri.startsWith('file:'))
      log(`Workspace folder ${JSON.stringify(folder.uri)} is not a local path on this machine: skipped.`);
  }
  return found;
}

/** A FreeMarker setting changed: the worker must start again with it. */
function engineChanged(before: ServerSettings, after: ServerSettings): boolean {
  return (
    before.freemarkerJar !== after.freemarkerJar ||
    before.renderTimeoutMs !== after.renderTimeoutMs ||
    before.maxHeapMb !== after.maxHeapMb
  );
}

/**
 * initialize (capabilities, settings, folders), then live changes: settings (`workspace/didChangeConfiguration`,
 * no reload needed) and workspace folders.
 */
export function registerLifecycle(context: ServerContext, validation: Validation): void {
  const { connection, workspace } = context;
  const log = (line: string) => connection.console.warn(line);
  connection.onInitialize((params): InitializeResult => {
    const text = params.capabilities.textDocument;
    context.client.itemDefaults = text?.completion?.completionList?.itemDefaults?.includes('editRange') ?? false;
    context.client.codeActionResolve = text?.codeAction?.resolveSupport?.properties.includes('edit') ?? false;
    context.client.workspaceFolders = params.capabilities.workspace?.workspaceFolders === true;
    const initial = (params.initializationOptions as { amplitude?: unknown } | undefined)?.amplitude;
    workspace.settings = settingsFrom(initial, (message) => connection.console.warn(message));
    workspace.folders = foldersFrom(params.workspaceFolders, log);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        completionProvider: { triggerCharacters: ['$', '.', '"', ':', '?', '#'], resolveProvider: true },
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
        documentFormattingProvider: true,
        documentRangeFormattingProvider: true,
        foldingRangeProvider: true,
        selectionRangeProvider: true,
        documentLinkProvider: { resolveProvider: false },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'amplitude-integration-server', version: '0.2.0' },
    };
  });
  connection.onInitialized(() => {
    void connection.client
      .register(DidChangeConfigurationNotification.type, { section: 'amplitude' })
      .catch(() => undefined);
    if (context.client.workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders((event) => {
        const removed = new Set(foldersFrom(event.removed, log));
        workspace.folders = [...workspace.folders.filter((f) => !removed.has(f)), ...foldersFrom(event.added, log)];
        context.templates.invalidate();
        validation.revalidateAll();
      });
    }
    validation.validateWorkspace();
  });
  connection.onDidChangeConfiguration((change) => {
    const settings = (change.settings as { amplitude?: unknown } | undefined)?.amplitude;
    if (settings === undefined) return;
    const before = workspace.settings;
    workspace.settings = settingsFrom(settings, (message) => connection.console.warn(message));
    if (engineChanged(before, workspace.settings)) context.templates.resetEngine();
    validation.revalidateAll();
  });
}
