import { randomBytes } from 'crypto';
import * as path from 'path';
import * as vscode from 'vscode';
import { analyzeManifest } from '../../../server/src/analysis';
import { renderPreviewHtml } from '../../../server/src/preview/html';
import { localImagePath } from '../../../server/src/preview/images';
import { previewModel, type PreviewModel } from '../../../server/src/preview/model';

const MANIFEST_LANGUAGE = 'amplitude-manifest';

/**
 * "Amplitude: Open Preview": what customers will see, beside the manifest, following it as it is
 * edited. A broken manifest keeps the last good preview under a banner naming the problems.
 */
export class ManifestPreview {
  private panel: vscode.WebviewPanel | undefined;
  private document: vscode.TextDocument | undefined;
  private lastGood: PreviewModel | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(context: vscode.ExtensionContext) {
    context.subscriptions.push(
      vscode.commands.registerCommand('amplitude.openPreview', (uri?: vscode.Uri) => this.open(uri)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (this.panel && e.document === this.document) this.schedule();
      }),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (this.panel && editor?.document.languageId === MANIFEST_LANGUAGE && editor.document !== this.document) {
          this.document = editor.document;
          this.lastGood = undefined;
          this.update();
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
    const root = vscode.workspace.getWorkspaceFolder(document.uri)?.uri ?? vscode.Uri.file(path.dirname(document.uri.fsPath));
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel('amplitude.preview', 'Preview', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { enableScripts: true, retainContextWhenHidden: true, localResourceRoots: [root] });
      this.panel.onDidDispose(() => { this.panel = undefined; });
      this.panel.webview.onDidReceiveMessage((message: { action?: string; path?: (string | number)[] }) => {
        if (message.action === 'reveal' && Array.isArray(message.path)) void this.reveal(message.path);
      });
    }
    this.update();
    this.panel.reveal(undefined, true);
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.update(), 150);
  }

  private update(): void {
    const panel = this.panel;
    const document = this.document;
    if (!panel || !document) return;
    const analysis = analyzeManifest(document.getText());
    const broken = analysis.doc.syntaxProblems.length > 0 || analysis.model.kind === undefined;
    if (!broken) this.lastGood = previewModel(analysis);
    const model = this.lastGood ?? previewModel(analysis);
    const baseDir = path.dirname(document.uri.fsPath);
    const root = vscode.workspace.getWorkspaceFolder(document.uri)?.uri.fsPath ?? baseDir;
    panel.title = `Preview: ${model.displayName}`;
    panel.webview.html = renderPreviewHtml(model, {
      nonce: randomBytes(16).toString('base64'),
      cspSource: panel.webview.cspSource,
      // Only files inside the workspace, through the webview's own URIs: never a URL, never ../../etc.
      images: (reference) => {
        const file = localImagePath(reference, baseDir, root);
        return file ? panel.webview.asWebviewUri(vscode.Uri.file(file)).toString() : undefined;
      },
      staleBanner: broken ? analysis.diagnostics.filter((d) => d.severity === 'error').slice(0, 5).map((d) => `Line ${analysis.doc.lines.positionAt(d.start).line + 1}: ${d.message}`) : undefined,
    });
  }

  /** Clicking a field in the preview selects its declaration in the manifest. */
  private async reveal(jsonPath: (string | number)[]): Promise<void> {
    const document = this.document;
    if (!document) return;
    const analysis = analyzeManifest(document.getText());
    const span = analysis.doc.spanAt(jsonPath);
    const editor = await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    const range = new vscode.Range(document.positionAt(span.start), document.positionAt(span.end));
    editor.selection = new vscode.Selection(range.start, range.end);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }
}
