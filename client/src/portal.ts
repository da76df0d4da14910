import { randomBytes } from 'crypto';
import * as vscode from 'vscode';
import type { ManifestKind } from '../../server/src/manifest/model';
import { portalHtml } from '../../server/src/portal/render';
import { ImportRequest, PortalSheetRequest, type ImportParams } from '../../server/src/protocol';
import type { ServerApi } from './serverApi';

const MANIFEST_LANGUAGE = 'amplitude-manifest';

type PanelMessage = { action: 'copy'; text: string } | { action: 'checked'; ids: string[] };

/**
 * "Amplitude: Prepare for Portal": beside the manifest, every field to enter in the portal in the order of
 * its form, each with a copy button and a checkbox. The ticks are kept per manifest and version (a new
 * version starts a new list), in the workspace's state, never in settings.
 */
export class PortalPanel {
  private panel: vscode.WebviewPanel | undefined;
  private document: vscode.TextDocument | undefined;
  private stateKey = '';
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly api: ServerApi,
  ) {
    context.subscriptions.push(
      vscode.commands.registerCommand('amplitude.prepareForPortal', (uri?: vscode.Uri) => this.open(uri)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (this.panel && e.document === this.document) this.schedule();
      }),
    );
  }

  async open(uri?: vscode.Uri): Promise<void> {
    const document = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
    if (!document || document.languageId !== MANIFEST_LANGUAGE) {
      void vscode.window.showInformationMessage('Open an integration manifest (*.amplitude.json) to prepare it.');
      return;
    }
    this.document = document;
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel('amplitudePortal', 'Prepare for Portal', vscode.ViewColumn.Beside, {
        enableScripts: true,
        localResourceRoots: [],
      });
      this.panel.onDidDispose(() => (this.panel = undefined));
      this.panel.webview.onDidReceiveMessage((m: PanelMessage) => this.onMessage(m));
    }
    this.panel.reveal(vscode.ViewColumn.Beside, true);
    await this.update();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.update(), 300);
  }

  private async update(): Promise<void> {
    const panel = this.panel;
    const document = this.document;
    if (!panel || !document) return;
    const sheet = await this.api.request(PortalSheetRequest, { uri: document.uri.toString() });
    if (!sheet) return;
    this.stateKey = `portal:${document.uri.toString()}#${sheet.version}`;
    panel.title = `Portal: ${sheet.displayName}`;
    const checked = this.context.workspaceState.get<string[]>(this.stateKey, []);
    const nonce = randomBytes(16).toString('base64');
    panel.webview.html = portalHtml(sheet, { nonce, cspSource: panel.webview.cspSource, checked });
  }

  private onMessage(message: PanelMessage): void {
    if (message.action === 'copy' && typeof message.text === 'string')
      void vscode.env.clipboard.writeText(message.text);
    if (message.action === 'checked' && Array.isArray(message.ids))
      void this.context.workspaceState.update(
        this.stateKey,
        message.ids.filter((id) => typeof id === 'string'),
      );
  }
}

const KINDS: { label: string; integrationKind: ManifestKind }[] = [
  { label: 'Cohort sync, list-based', integrationKind: 'cohort-list' },
  { label: 'Cohort sync, property-based', integrationKind: 'cohort-property' },
  { label: 'Event streaming', integrationKind: 'event-streaming' },
];

async function importParams(text: string): Promise<ImportParams | undefined> {
  const isCurl = /^\s*curl\s/.test(text);
  if (!isCurl) {
    const what = await vscode.window.showQuickPick(
      [
        { label: 'A payload', what: 'payload' as const },
        { label: 'An array item ($items)', what: 'itemTemplate' as const },
      ],
      { title: 'Import from Portal: the clipboard holds the portal editor text of' },
    );
    return what ? { text, what: what.what } : undefined;
  }
  const kind = await vscode.window.showQuickPick(KINDS, { title: 'Import from Portal: the cURL command is for' });
  if (!kind) return undefined;
  if (kind.integrationKind === 'event-streaming') return { text, what: 'curl', kind: kind.integrationKind };
  const property = kind.integrationKind === 'cohort-property';
  const endpoints = property ? ['update'] : ['listCreation', 'addUsers', 'removeUsers'];
  const endpoint = await vscode.window.showQuickPick(endpoints, { title: 'Which endpoint?' });
  return endpoint ? { text, what: 'curl', kind: kind.integrationKind, endpoint } : undefined;
}

/**
 * "Amplitude: Import from Portal": the clipboard (a payload as the portal's editor shows it, or a cURL
 * command) as the manifest's JSON, opened beside with what to check written above it.
 */
export async function importFromPortal(api: ServerApi): Promise<void> {
  const text = (await vscode.env.clipboard.readText()).trim();
  if (!text) {
    void vscode.window.showInformationMessage('Copy a payload or a cURL command from the portal first.');
    return;
  }
  const params = await importParams(text);
  if (!params) return;
  const answer = await api.request(ImportRequest, params);
  if (!answer.ok) {
    void vscode.window.showErrorMessage(`Import from Portal: ${answer.problem}`);
    return;
  }
  const notes = answer.notes.map((n) => `// ${n}`).join('\n');
  const content = `${notes ? `${notes}\n` : ''}${JSON.stringify(answer.fragment, null, 2)}\n`;
  const document = await vscode.workspace.openTextDocument({ language: 'jsonc', content });
  await vscode.window.showTextDocument(document, vscode.ViewColumn.Beside);
  if (answer.template) {
    const template = await vscode.workspace.openTextDocument({ language: 'freemarker', content: answer.template });
    await vscode.window.showTextDocument(template, { viewColumn: vscode.ViewColumn.Beside, preview: false });
  }
}
