import * as path from 'path';
import { performance } from 'perf_hooks';
import * as vscode from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import {
  LOCATE_REQUEST,
  PREVIEW_REQUEST,
  RENDER_TEMPLATE_REQUEST,
  SERVER_EXEC_ARGV,
  VARIABLES_REQUEST,
  type LocateAnswer,
  type LocateParams,
  type PreviewAnswer,
  type PreviewParams,
  type RenderTemplateParams,
  type RenderTemplateResult,
  type VariablesParams,
} from '../../server/src/protocol';
import { EventBodyPreview } from './eventBodyPreview';
import { newIntegration } from './newIntegration';
import { ManifestPreview } from './preview/panel';
import type { VariablesTable } from '../../server/src/manifest/variablesTable';
import { TestEndpointFeature } from './testEndpoint';

export const MANIFEST_LANGUAGE = 'amplitude-manifest';
let client: LanguageClient | undefined;

const SOURCE_LABEL: Record<string, string> = {
  customField: 'custom field',
  mappingField: 'mapping field',
  authentication: 'authentication',
  parameter: 'parameter',
};

/** The portal's DECLARED / USED / PRE-DEFINED table for the active manifest, as a quick pick. */
async function showVariables(languageClient: LanguageClient): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== MANIFEST_LANGUAGE) {
    void vscode.window.showInformationMessage('Open an integration manifest (*.amplitude.json) to see its variables.');
    return;
  }
  const params: VariablesParams = { uri: editor.document.uri.toString() };
  const table = await languageClient.sendRequest<VariablesTable | null>(VARIABLES_REQUEST, params);
  if (!table) return;
  type Item = vscode.QuickPickItem & { range?: { start: { line: number; character: number } } };
  const items: Item[] = [
    { label: 'Declared', kind: vscode.QuickPickItemKind.Separator },
    ...table.declared.map((d) => ({
      label: `${d.used ? '$(check)' : '$(warning)'} $${d.name}`,
      description: `${SOURCE_LABEL[d.source]} · ${d.displayName}`,
      detail: d.used ? undefined : 'declared, never used',
      range: d.range,
    })),
    { label: 'Used', kind: vscode.QuickPickItemKind.Separator },
    ...table.used.map((u) => ({
      label: `${u.status === 'undeclared' ? '$(error)' : '$(check)'} ${u.name.startsWith('parameters.') ? u.name : `$${u.name}`}`,
      description: `${u.status} · used ${u.uses.length}×`,
      range: u.uses[0]?.range,
    })),
    { label: 'Pre-defined', kind: vscode.QuickPickItemKind.Separator },
    ...table.predefined.map((p) => ({
      label: `$${p.name}`,
      description: p.summary,
      detail: p.aliases.length ? `aliases: ${p.aliases.map((a) => `$${a}`).join(', ')}` : undefined,
    })),
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Variables: declared, used, pre-defined',
    matchOnDescription: true,
  });
  if (picked?.range) {
    const position = new vscode.Position(picked.range.start.line, picked.range.start.character);
    editor.selection = new vscode.Selection(position, position);
    editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenter);
  }
}

/** What the extension hands to other extensions (and its tests). */
export interface AmplitudeExtensionApi {
  /** From `activate` to the language server's first answer (its initialize result), in ms. */
  activationMs: number;
}

export async function activate(context: vscode.ExtensionContext): Promise<AmplitudeExtensionApi> {
  const started = performance.now();
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...SERVER_EXEC_ARGV] } },
    debug: {
      module: serverModule,
      transport: TransportKind.ipc,
      options: { execArgv: [...SERVER_EXEC_ARGV, '--nolazy', '--inspect=6009'] },
    },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: MANIFEST_LANGUAGE }, { language: 'freemarker' }],
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{png,jpg,jpeg,gif,ftl,amplitude.json}') },
    initializationOptions: {
      freemarkerJar: vscode.workspace.getConfiguration('amplitude.freemarker').get<string>('jarPath', ''),
      renderTimeoutMs: vscode.workspace.getConfiguration('amplitude.freemarker').get<number>('renderTimeoutMs', 5000),
    },
  };
  const output = vscode.window.createOutputChannel('Amplitude Integration', { log: true });
  context.subscriptions.push(output);
  clientOptions.outputChannel = output;
  client = new LanguageClient('amplitudeIntegration', 'Amplitude Integration', serverOptions, clientOptions);

  const languageClient = client;
  context.subscriptions.push(
    vscode.commands.registerCommand('amplitude.showVariables', () => showVariables(languageClient)),
  );
  const preview = new ManifestPreview(context, {
    preview: (uri) =>
      languageClient.sendRequest<PreviewAnswer | null>(PREVIEW_REQUEST, { uri } satisfies PreviewParams),
    locate: (uri, path) =>
      languageClient.sendRequest<LocateAnswer>(LOCATE_REQUEST, { uri, path } satisfies LocateParams),
  });
  context.subscriptions.push(
    vscode.commands.registerCommand('amplitude.newIntegration', () => newIntegration((uri) => preview.open(uri))),
  );
  const renderTemplate = (params: RenderTemplateParams) =>
    languageClient.sendRequest<RenderTemplateResult | null>(RENDER_TEMPLATE_REQUEST, params);
  new EventBodyPreview(context, renderTemplate);
  new TestEndpointFeature(context, output, renderTemplate);
  await client.start();
  return { activationMs: performance.now() - started };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
