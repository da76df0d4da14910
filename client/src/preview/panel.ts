import { randomBytes } from 'crypto';
import * as path from 'path';
import * as vscode from 'vscode';
import type { JSONPath } from 'jsonc-parser';
import { renderPreviewHtml } from '../../../server/src/preview/html';
import type { PreviewModel } from '../../../server/src/preview/model';
import type { PreviewAnswer } from '../../../server/src/protocol';
import type { Range } from 'vscode-languageclient/node';

const MANIFEST_LANGUAGE = 'amplitude-manifest';

/** What the panel asks the language server (extension.ts wires these to its requests). */
export interface PreviewSource {
  preview(uri: string): Promise<PreviewAnswer | null>;
  locate(uri: string, path: JSONPath): Promise<Range | null>;
}

/**
 * "Amplitude: Open Preview": what customers will see, beside the manifest, following it as it is
 * edited. A broken manifest keeps the last good preview under a banner naming the problems. The
 * model comes from the server's analysis of the same text: the extension host parses nothing.
 */
export class ManifestPreview {
  private panel: vscode.WebviewPanel | undefined;
  private document: vscode.TextDocument | undefined;
  private lastGood: PreviewModel | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Answers to older updates are dropped: edits can outrun the server. */
  private generation = 0;

  constructor(
    context: vscode.ExtensionContext,
    private readonly source: PreviewSource,
  ) {
    context.subscriptions.push(
      vscode.commands.registerCommand('amplitude.openPreview', (uri?: vscode.Uri) => this.open(uri)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (this.panel && e.document === this.document) this.schedule();
      }),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (this.panel && editor?.document.languageId === MANIFEST_LANGUAGE && editor.document !== this.document) {
          this.document = editor.document;
          this.lastGood = undefined;
          void this.update();
        }
      }),
    );
  }

  async open(uri?: vscode.Uri): Promise<void> {
    const document = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
    if (!document || document.languageId !== MANIFEST_LANGUAGE) {
      void vscode.window.showInformationMessage('Open an integration manifest (*.amplitude.json) to preview it.');
      return;
    }
    this.document = document;
    this.lastGood = undefined;
    const root =
      vscode.workspace.getWorkspaceFolder(document.uri)?.uri ?? vscode.Uri.file(path.dirname(document.uri.fsPath));
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel(
        'amplitude.preview',
        'Preview',
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        { enableScripts: true, retainContextWhenHidden: true, localResourceRoots: [root] },
      );
      this.panel.onDidDispose(() => {
        this.panel = undefined;
      });
      this.panel.webview.onDidReceiveMessage((message: { action?: string; path?: (string | number)[] }) => {
        if (message.action === 'reveal' && Array.isArray(message.path)) void this.reveal(message.path);
      });
    }
    void this.update();
    this.panel.reveal(undefined, true);
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.update(), 150);
  }

  private async update(attempt = 0): Promise<void> {
    const panel = this.panel;
    const document = this.document;
    if (!panel || !document) return;
    const generation = ++this.generation;
    let answer: PreviewAnswer | null;
    try {
      answer = await this.source.preview(document.uri.toString());
    } catch (error) {
      answer = null;
      void vscode.window.showWarningMessage(
        `The preview could not be updated: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    if (generation !== this.generation || panel !== this.panel) return;
    if (!answer) {
      // The server has not seen the document yet (it was opened a moment ago): ask again shortly.
      if (attempt < 10) this.timer = setTimeout(() => void this.update(attempt + 1), 200);
      return;
    }
    if (!answer.broken) this.lastGood = answer.model;
    const model = this.lastGood ?? answer.model;
    panel.title = `Preview: ${model.displayName}`;
    const images = answer.images;
    panel.webview.html = renderPreviewHtml(model, {
      nonce: randomBytes(16).toString('base64'),
      cspSource: panel.webview.cspSource,
      // Only the files the server allowed (inside the workspace), through the webview's own URIs.
      images: (reference) => {
        const file = Object.hasOwn(images, reference) ? images[reference] : undefined;
        return file ? panel.webview.asWebviewUri(vscode.Uri.file(file)).toString() : undefined;
      },
      staleBanner: answer.broken ? answer.errors : undefined,
    });
  }

  /** Clicking a field in the preview selects its declaration in the manifest. */
  private async reveal(jsonPath: JSONPath): Promise<void> {
    const document = this.document;
    if (!document) return;
    const found = await this.source.locate(document.uri.toString(), jsonPath);
    if (!found) return;
    const editor = await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    const range = new vscode.Range(found.start.line, found.start.character, found.end.line, found.end.character);
    editor.selection = new vscode.Selection(range.start, range.end);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }
}
