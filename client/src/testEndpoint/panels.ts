import { randomBytes } from 'crypto';
import * as path from 'path';
import * as vscode from 'vscode';
import { mask } from '../../../server/src/base/mask';
import { userFileRoot, writeFileInside } from '../../../server/src/base/writes';
import { methodProblem, toCurl } from '../../../server/src/testing/curl';
import { renderResponseHtml, type ResponseView } from './html';

/** One panel per manifest and test; its buttons act on the last view shown in it. */
export class ResponsePanels {
  private readonly panels = new Map<string, vscode.WebviewPanel>();
  private readonly views = new Map<string, ResponseView>();

  /** `rerun`: "Send again" (or "Send it", after Show Request). */
  constructor(private readonly rerun: (key: string) => Thenable<unknown>) {}

  show(key: string, view: ResponseView): void {
    let panel = this.panels.get(key);
    if (!panel) {
      panel = vscode.window.createWebviewPanel(
        'amplitude.testResponse',
        view.title,
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        { enableScripts: true, localResourceRoots: [] },
      );
      this.panels.set(key, panel);
      panel.onDidDispose(() => {
        this.panels.delete(key);
        this.views.delete(key);
      });
      panel.webview.onDidReceiveMessage((message: { action?: string }) => this.onAction(key, message.action));
    }
    this.views.set(key, view);
    panel.title = view.title;
    panel.webview.html = renderResponseHtml(view, randomBytes(16).toString('base64'), panel.webview.cspSource);
    panel.reveal(undefined, true);
  }

  private async onAction(key: string, action: string | undefined): Promise<void> {
    const view = this.views.get(key);
    if (!view) return;
    if (action === 'openBody') await openBody(view);
    else if (action === 'copyCurl') await copyCurl(view);
    else if (action === 'saveResponse') await saveResponse(view);
    else if (action === 'rerun') await this.rerun(key);
  }
}

async function openBody(view: ResponseView): Promise<void> {
  if (!view.result) return;
  const body = view.result.ok ? view.result.body : view.result.message;
  let content = body;
  let language = 'plaintext';
  try {
    content = JSON.stringify(JSON.parse(body), null, 2);
    language = 'json';
  } catch {
    // not JSON: shown as it came
  }
  const document = await vscode.workspace.openTextDocument({ content: mask(content, view.request.secrets), language });
  await vscode.window.showTextDocument(document, vscode.ViewColumn.Beside);
}

async function copyCurl(view: ResponseView): Promise<void> {
  const problem = methodProblem(view.request.method);
  if (problem) {
    void vscode.window.showErrorMessage(`Copy as cURL: ${problem}`);
    return;
  }
  const choice = await vscode.window.showQuickPick(
    [
      { label: 'Secrets masked', withSecrets: false },
      { label: 'With secrets', description: 'the real API key or token, in your clipboard', withSecrets: true },
    ],
    { title: 'Copy as cURL' },
  );
  if (!choice) return;
  await vscode.env.clipboard.writeText(toCurl(view.request, choice.withSecrets));
  void vscode.window.showInformationMessage(
    `cURL command copied${choice.withSecrets ? ' with secrets' : ' (secrets masked)'}.`,
  );
}

async function saveResponse(view: ResponseView): Promise<void> {
  const target = await vscode.window.showSaveDialog({ filters: { JSON: ['json'] }, saveLabel: 'Save response' });
  if (!target) return;
  const { method, url, headers, body } = view.request;
  const saved = { request: { method, url, headers, body }, response: view.result, classification: view.classification };
  const text = mask(JSON.stringify(saved, null, 2), view.request.secrets);
  const problem = saveChosenFile(target, text);
  if (problem) void vscode.window.showErrorMessage(`The response was not saved: ${problem}`);
}

/**
 * The file picked in a Save dialog: the user chose its folder and to replace it (the dialog asks), so an
 * existing regular file is replaced; a link, a device or a pipe is refused, never written through.
 */
function saveChosenFile(target: vscode.Uri, text: string): string | undefined {
  if (target.scheme !== 'file') return 'responses are saved only to a folder on disk.';
  const written = writeFileInside(target.fsPath, text, { ...userFileRoot(target.fsPath), replace: true });
  return written.ok ? undefined : `${path.basename(target.fsPath)} ${written.reason}.`;
}
