import * as path from 'path';
import { performance } from 'perf_hooks';
import * as vscode from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { LocateRequest, PreviewRequest, RenderTemplateRequest, SERVER_EXEC_ARGV } from '../../server/src/protocol';
import { EventBodyPreview } from './eventBodyPreview';
import { newIntegration } from './newIntegration';
import { ManifestPreview } from './preview/panel';
import { CompareWithRelease } from './compare';
import { importFromPortal, PortalPanel } from './portal';
import { ServerApi } from './serverApi';
import { TestEndpointFeature } from './testEndpoint';
import { MANIFEST_LANGUAGE, showVariables } from './variables';

let client: LanguageClient | undefined;

/** What the extension hands to other extensions (and its tests). */
export interface AmplitudeExtensionApi {
  /** From `activate` to the language server's first answer (its initialize result), in ms. */
  activationMs: number;
}

function startClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): LanguageClient {
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
    // Settings reach the server as they change (no reload); files it reads are watched.
    synchronize: {
      configurationSection: 'amplitude',
      fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{png,jpg,jpeg,gif,ftl,amplitude.json,yaml,yml}'),
    },
    initializationOptions: { amplitude: vscode.workspace.getConfiguration('amplitude') },
    outputChannel: output,
  };
  return new LanguageClient('amplitudeIntegration', 'Amplitude Integration', serverOptions, clientOptions);
}

/** Starts the language server and wires the commands and panels to it: they ask, the server analyses. */
export async function activate(context: vscode.ExtensionContext): Promise<AmplitudeExtensionApi> {
  const started = performance.now();
  const output = vscode.window.createOutputChannel('Amplitude Integration', { log: true });
  context.subscriptions.push(output);
  client = startClient(context, output);
  const api = new ServerApi(client);
  const preview = new ManifestPreview(context, {
    preview: (uri) => api.request(PreviewRequest, { uri }),
    locate: (uri, jsonPath) => api.request(LocateRequest, { uri, path: jsonPath }),
  });
  context.subscriptions.push(
    vscode.commands.registerCommand('amplitude.showVariables', () => showVariables(api)),
    vscode.commands.registerCommand('amplitude.newIntegration', () => newIntegration((uri) => preview.open(uri))),
    vscode.commands.registerCommand('amplitude.importFromPortal', () => importFromPortal(api)),
  );
  new PortalPanel(context, api);
  new CompareWithRelease(context, api);
  new EventBodyPreview(context, (params) => api.request(RenderTemplateRequest, params));
  new TestEndpointFeature(context, output, api);
  await client.start();
  return { activationMs: performance.now() - started };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
