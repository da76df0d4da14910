import * as path from 'path';
import * as vscode from 'vscode';
import type { NeededValue } from '../../../server/src/protocol';

const FOLDER = '.amplitude';
type ValuesFile = Record<string, Record<string, string>>;

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
 * in git. Which values a test needs, and which are secret, the server says (TestPlan.needs).
 */
export class TestValuesStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  private fileFor(manifest: vscode.Uri): vscode.Uri {
    const folder = vscode.workspace.getWorkspaceFolder(manifest)?.uri ?? vscode.Uri.file(path.dirname(manifest.fsPath));
    return vscode.Uri.joinPath(folder, FOLDER, 'test-values.json');
  }

  private secretKey(manifest: vscode.Uri, name: string): string {
    return `amplitude.test:${manifest.toString()}:${name}`;
  }

  private async readFile(manifest: vscode.Uri): Promise<ValuesFile> {
    try {
      const parsed = JSON.parse(
        Buffer.from(await vscode.workspace.fs.readFile(this.fileFor(manifest))).toString('utf8'),
      ) as unknown;
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as ValuesFile) : {};
    } catch {
      return {};
    }
  }

  private async writeFile(manifest: vscode.Uri, all: ValuesFile): Promise<void> {
    const file = this.fileFor(manifest);
    const folder = vscode.Uri.joinPath(file, '..');
    await vscode.workspace.fs.createDirectory(folder);
    const ignore = Buffer.from('# Local test values for Amplitude Test Endpoint: never commit.\n*\n');
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, '.gitignore'), ignore);
    await vscode.workspace.fs.writeFile(file, Buffer.from(`${JSON.stringify(all, null, 2)}\n`));
  }

  private ask(need: NeededValue): Thenable<string | undefined> {
    const kept = need.secret
      ? " (kept in VS Code's secret storage)"
      : ` (kept in ${FOLDER}/test-values.json, git-ignored)`;
    return vscode.window.showInputBox({
      title: `Test value for $${need.name}`,
      prompt: `${need.displayName}: what a customer would type in the setup modal${kept}`,
      password: need.secret,
      ignoreFocusOut: true,
    });
  }

  /** The values a test needs, asking the user for those not known yet. Undefined when the user cancels. */
  async valuesFor(manifest: vscode.Uri, needs: NeededValue[]): Promise<Record<string, string> | undefined> {
    const all = await this.readFile(manifest);
    const key = vscode.workspace.asRelativePath(manifest);
    const saved = Object.hasOwn(all, key) && all[key] && typeof all[key] === 'object' ? all[key] : {};
    const plain = Object.assign(Object.create(null) as Record<string, string>, saved);
    const values = Object.create(null) as Record<string, string>;
    let changed = false;
    for (const need of needs) {
      let value = need.secret ? await this.secrets.get(this.secretKey(manifest, need.name)) : own(plain, need.name);
      if (value === undefined) {
        value = await this.ask(need);
        if (value === undefined) return undefined;
        if (need.secret) await this.secrets.store(this.secretKey(manifest, need.name), value);
        else {
          plain[need.name] = value;
          changed = true;
        }
      }
      values[need.name] = value;
    }
    if (changed) await this.writeFile(manifest, { ...all, [key]: { ...plain } });
    return values;
  }

  async clear(manifest: vscode.Uri, needs: NeededValue[]): Promise<void> {
    for (const need of needs) await this.secrets.delete(this.secretKey(manifest, need.name));
    const all = await this.readFile(manifest);
    delete all[vscode.workspace.asRelativePath(manifest)];
    await this.writeFile(manifest, all);
  }
}
