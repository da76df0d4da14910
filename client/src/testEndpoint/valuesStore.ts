import * as path from 'path';
import * as vscode from 'vscode';
import type { NeededValue } from '../../../server/src/protocol';
import { TestSecrets } from './testSecrets';
import { notSavedMessage, readTestValues, saveTestValues, VALUES_FILE, type ValuesFile } from './valuesFile';

function own(record: Record<string, string> | undefined, key: string): string | undefined {
  return record && Object.hasOwn(record, key) && typeof record[key] === 'string' ? record[key] : undefined;
}

/** The values to mask: those the server says are secret (the ones kept in SecretStorage), never the rest. */
export function secretValuesOf(needs: NeededValue[], values: Record<string, string>): string[] {
  return needs.filter((need) => need.secret).flatMap((need) => own(values, need.name) ?? []);
}

/**
 * Test values, asked for once: secrets (auth fields, fields and parameters marked secret) in
 * SecretStorage, the rest in `.amplitude/test-values.json` in the workspace, a folder that ignores itself
 * in git (written by valuesFile.ts, never through a link). Which values a test needs, and which are secret,
 * the server says (TestPlan.needs).
 */
export class TestValuesStore {
  private readonly secrets: TestSecrets;

  constructor(secrets: vscode.SecretStorage, names: vscode.Memento) {
    this.secrets = new TestSecrets(secrets, names);
  }

  /** The workspace folder the values file lives in; undefined for a manifest not on disk. */
  private rootFor(manifest: vscode.Uri): string | undefined {
    const folder = vscode.workspace.getWorkspaceFolder(manifest)?.uri;
    if (folder?.scheme === 'file') return folder.fsPath;
    return manifest.scheme === 'file' ? path.dirname(manifest.fsPath) : undefined;
  }

  private readFile(manifest: vscode.Uri): ValuesFile {
    const root = this.rootFor(manifest);
    return root === undefined ? {} : readTestValues(root);
  }

  /** Writes the values file; says so when it cannot (the values still serve this run). */
  private writeFile(manifest: vscode.Uri, all: ValuesFile, when: string): boolean {
    const root = this.rootFor(manifest);
    const notSaved = root === undefined ? undefined : saveTestValues(root, all);
    if (root === undefined) {
      void vscode.window.showWarningMessage(`${when}: ${VALUES_FILE} is kept only for a manifest in a folder on disk.`);
    } else if (notSaved) void vscode.window.showErrorMessage(`${when}: ${notSavedMessage(notSaved)}`);
    return root !== undefined && notSaved === undefined;
  }

  private ask(need: NeededValue): Thenable<string | undefined> {
    const kept = need.secret ? " (kept in VS Code's secret storage)" : ` (kept in ${VALUES_FILE}, git-ignored)`;
    return vscode.window.showInputBox({
      title: `Test value for $${need.name}`,
      prompt: `${need.displayName}: what a customer would type in the setup modal${kept}`,
      password: need.secret,
      ignoreFocusOut: true,
    });
  }

  /** The values a test needs, asking the user for those not known yet. Undefined when the user cancels. */
  async valuesFor(manifest: vscode.Uri, needs: NeededValue[]): Promise<Record<string, string> | undefined> {
    const all = this.readFile(manifest);
    const key = vscode.workspace.asRelativePath(manifest);
    const saved = Object.hasOwn(all, key) && all[key] && typeof all[key] === 'object' ? all[key] : {};
    const plain = Object.assign(Object.create(null) as Record<string, string>, saved);
    const values = Object.create(null) as Record<string, string>;
    const id = manifest.toString();
    let changed = false;
    for (const need of needs) {
      let value = need.secret ? await this.secrets.get(id, need.name) : own(plain, need.name);
      if (value === undefined) {
        value = await this.ask(need);
        if (value === undefined) return undefined;
        if (need.secret) await this.secrets.store(id, need.name, value);
        else {
          plain[need.name] = value;
          changed = true;
        }
      }
      values[need.name] = value;
    }
    if (changed) this.writeFile(manifest, { ...all, [key]: { ...plain } }, 'Test values used for this run only');
    return values;
  }

  /** Forgets the manifest's secrets (those of fields since removed too) and its values in the file. */
  async clear(manifest: vscode.Uri, needs: NeededValue[]): Promise<boolean> {
    await this.secrets.clear(
      manifest.toString(),
      needs.map((need) => need.name),
    );
    const all = this.readFile(manifest);
    const key = vscode.workspace.asRelativePath(manifest);
    if (!Object.hasOwn(all, key)) return true;
    delete all[key];
    return this.writeFile(manifest, all, 'Secrets cleared, but the other test values were not');
  }
}
