import { randomBytes } from 'crypto';
import * as vscode from 'vscode';
import type { RenderTemplateParams, RenderTemplateResult } from '../../server/src/protocol';
import { escapeHtml } from '../../server/src/preview/html';

type Render = (params: RenderTemplateParams) => Thenable<RenderTemplateResult | null>;

/** The output of a body template for a chosen sample event, beside the template, re-rendered as you type. */
export class EventBodyPreview {
  private panel: vscode.WebviewPanel | undefined;
  private document: vscode.TextDocument | undefined;
  private sample: string | undefined;
  /** An event file the user picked (read by the server, under its file rules). */
  private eventFile: string | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    context: vscode.ExtensionContext,
    private readonly render: Render,
  ) {
    context.subscriptions.push(
      vscode.commands.registerCommand('amplitude.previewEventBody', () => this.open()),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (this.panel && e.document === this.document) this.schedule();
      }),
    );
  }

  private async open(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.languageId !== 'freemarker') {
      void vscode.window.showInformationMessage('Open an event body template (.ftl) to preview its output.');
      return;
    }
    this.document = editor.document;
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel(
        'amplitude.eventBody',
        'Event body',
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        { enableScripts: true, localResourceRoots: [] },
      );
      this.panel.onDidDispose(() => {
        this.panel = undefined;
      });
      this.panel.webview.onDidReceiveMessage(async (message: { action?: string; sample?: string }) => {
        if (message.action === 'sample' && message.sample) {
          this.sample = message.sample;
          this.eventFile = undefined;
          await this.update();
        } else if (message.action === 'ownEvent') {
          const files = await vscode.workspace.findFiles('**/*.event.json', '**/node_modules/**', 50);
          const pick = await vscode.window.showQuickPick(
            files.map((f) => ({ label: vscode.workspace.asRelativePath(f), uri: f })),
            { title: 'Your sample events (*.event.json)' },
          );
          if (!pick) return;
          this.eventFile = pick.uri.fsPath;
          this.sample = pick.label;
          await this.update();
        }
      });
    }
    this.panel.title = `Event body: ${vscode.workspace.asRelativePath(this.document.uri)}`;
    await this.update();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.update(), 300);
  }

  private async update(): Promise<void> {
    if (!this.panel || !this.document) return;
    const result = await this.render({
      uri: this.document.uri.toString(),
      sample: this.eventFile ? undefined : this.sample,
      eventFile: this.eventFile,
    });
    if (!this.panel || !result) return;
    this.panel.webview.html = renderPreviewHtml(
      result,
      this.sample ?? result.samples[0],
      randomBytes(16).toString('base64'),
    );
  }
}

function pretty(output: string): { text: string; json: boolean } {
  try {
    return { text: JSON.stringify(JSON.parse(output), null, 2), json: true };
  } catch {
    return { text: output, json: false };
  }
}

const STYLE = `
  body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 0 12px; }
  pre {
    font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size);
    background: var(--vscode-textCodeBlock-background); padding: 8px; white-space: pre-wrap; word-break: break-all;
  }
  .ok { color: var(--vscode-testing-iconPassed); }
  .error { color: var(--vscode-errorForeground); white-space: pre-wrap; }
  .muted { color: var(--vscode-descriptionForeground); }
  select, button {
    background: var(--vscode-dropdown-background); color: var(--vscode-dropdown-foreground);
    border: 1px solid var(--vscode-dropdown-border); padding: 2px 4px;
  }`;

const SCRIPT = `
  const vscode = acquireVsCodeApi();
  document.getElementById('sample').addEventListener('change', (e) => {
    vscode.postMessage({ action: 'sample', sample: e.target.value });
  });
  document.getElementById('own').addEventListener('click', () => vscode.postMessage({ action: 'ownEvent' }));`;

export function renderPreviewHtml(result: RenderTemplateResult, sample: string, nonce: string): string {
  const options = [
    ...result.samples.map((s) => `<option${s === sample ? ' selected' : ''}>${escapeHtml(s)}</option>`),
    result.samples.includes(sample) ? '' : `<option selected>${escapeHtml(sample)}</option>`,
  ].join('');
  let body: string;
  if (result.ok && result.output !== undefined) {
    const shown = pretty(result.output);
    body = `${
      shown.json
        ? '<p class="ok">Valid JSON</p>'
        : '<p class="error">The output is not valid JSON: ' + 'Amplitude would send it as it is.</p>'
    }<pre>${escapeHtml(shown.text)}</pre>`;
  } else {
    const e = result.error;
    body = `<p class="error">${
      e && e.line ? `Line ${e.line}, column ${e.column}: ` + `` : ''
    }${escapeHtml(e?.message ?? 'Rendering failed.')}</p>`;
  }
  const csp = `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}';`;
  const engine = `FreeMarker ${escapeHtml(result.engineVersion ?? '?')} · ${result.ms.toFixed(0)} ms`;
  return `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<style nonce="${nonce}">${STYLE}</style></head><body>
<p><label>Sample event <select id="sample">${options}</select></label>
<button id="own">Your own *.event.json…</button> <span class="muted">${engine}</span></p>
${body}
<script nonce="${nonce}">${SCRIPT}</script></body></html>`;
}
