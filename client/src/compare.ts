import * as vscode from 'vscode';
import { DiffRequest, type DiffAnswer, type DiffChange } from '../../server/src/protocol';
import type { ServerApi } from './serverApi';

const SCHEME = 'amplitude-release';
const ICONS: Record<DiffChange['impact'], string> = { breaking: '$(error)', risky: '$(warning)', safe: '$(info)' };

/**
 * "Amplitude: Compare with Last Release": the manifest beside its text at the newest tag (or a revision
 * the partner names) in VS Code's diff editor, and every change classified for customers already using it.
 */
export class CompareWithRelease implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();

  constructor(
    context: vscode.ExtensionContext,
    private readonly api: ServerApi,
  ) {
    context.subscriptions.push(
      vscode.workspace.registerTextDocumentContentProvider(SCHEME, this),
      vscode.commands.registerCommand('amplitude.compareWithRelease', (uri?: vscode.Uri, base?: string) =>
        this.compare(uri, base),
      ),
    );
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  /** Returns the answer, for tests and other extensions. */
  async compare(uri?: vscode.Uri, base?: string): Promise<DiffAnswer | undefined> {
    const document = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
    if (!document) return undefined;
    let answer = await this.api.request(DiffRequest, { uri: document.uri.toString(), base });
    if (!answer.ok && base === undefined) {
      const revision = await vscode.window.showInputBox({
        title: 'Compare with a release',
        prompt: `${answer.problem} A tag, branch or commit:`,
        value: 'HEAD',
      });
      if (!revision) return answer;
      answer = await this.api.request(DiffRequest, { uri: document.uri.toString(), base: revision });
    }
    if (!answer.ok) {
      void vscode.window.showErrorMessage(`Compare with Last Release: ${answer.problem}`);
      return answer;
    }
    const old = vscode.Uri.from({ scheme: SCHEME, path: document.uri.path, query: answer.base });
    this.texts.set(old.toString(), answer.baseText);
    const name = document.uri.path.split('/').pop() ?? 'manifest';
    await vscode.commands.executeCommand('vscode.diff', old, document.uri, `${name} (${answer.base} ↔ now)`);
    void this.showChanges(document.uri, answer.changes, answer.base);
    return answer;
  }

  private async showChanges(uri: vscode.Uri, changes: DiffChange[], base: string): Promise<void> {
    const count = (impact: DiffChange['impact']) => changes.filter((c) => c.impact === impact).length;
    const title = `Since ${base}: ${count('breaking')} breaking, ${count('risky')} risky, ${count('safe')} safe`;
    const items = changes.map((c) => ({ label: `${ICONS[c.impact]} ${c.impact}`, detail: c.message, change: c }));
    const picked = await vscode.window.showQuickPick(items, { title, matchOnDetail: true });
    if (!picked) return;
    const { start, end } = picked.change.range;
    const range = new vscode.Range(start.line, start.character, end.line, end.character);
    await vscode.window.showTextDocument(uri, { selection: range, viewColumn: vscode.ViewColumn.Active });
  }
}
