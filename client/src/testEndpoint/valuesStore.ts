import * as path from 'path';
import * as vscode from 'vscode';
import type { ManifestAnalysis } from '../../../server/src/analysis';
import { secretVariableNames } from '../../../server/src/testing/values';

const FOLDER = '.amplitude';

/**
 * Test values, asked for once: secrets (auth fields, fields marked secret) in SecretStorage, the rest
 * in `.amplitude/test-values.json` in the workspace, a folder that ignores itself in git.
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

  private async readFile(manifest: vscode.Uri): Promise<Record<string, Record<string, string>>> {
    try {
      const parsed = JSON.parse(
        Buffer.from(await vscode.workspace.fs.readFile(this.fileFor(manifest))).toString('utf8'),
      ) as unknown;
      return parsed && typeof parsed === 'object' ? (parsed as Record<string, Record<string, string>>) : {};
    } catch {
      return {};
    }
  }

  private async writeFile(manifest: vscode.Uri, all: Record<string, Record<string, string>>): Promise<void> {
    const file = this.fileFor(manifest);
    const folder = vscode.Uri.joinPath(file, '..');
    await vscode.workspace.fs.createDirectory(folder);
    await vscode.workspace.fs.writeFile(
      vscode.Uri.joinPath(folder, '.gitignore'),
      Buffer.from('# Local test values for Amplitude Test Endpoint: never commit.\n*\n'),
    );
    await vscode.workspace.fs.writeFile(file, Buffer.from(`${JSON.stringify(all, null, 2)}\n`));
  }

  /** The values for `names`, asking the user for those not known yet. Undefined when the user cancels. */
  async valuesFor(
    manifest: vscode.Uri,
    analysis: ManifestAnalysis,
    names: string[],
  ): Promise<Record<string, string> | undefined> {
    const secretNames = secretVariableNames(analysis.model, analysis.doc.value);
    const all = await this.readFile(manifest);
    const key = vscode.workspace.asRelativePath(manifest);
    const plain = { ...(all[key] ?? {}) };
    const values: Record<string, string> = {};
    let changed = false;
    for (const name of names) {
      const isSecret = secretNames.has(name);
      let value = isSecret ? await this.secrets.get(this.secretKey(manifest, name)) : plain[name];
      if (value === undefined) {
        const declaration = analysis.model.declarations.find((d) => d.name === name);
        value = await vscode.window.showInputBox({
          title: `Test value for $${name}`,
          prompt: `${declaration?.displayName ?? name}: what a customer would type in the setup modal${isSecret ? " (kept in VS Code's secret storage)" : ` (kept in ${FOLDER}/test-values.json, git-ignored)`}`,
          password: isSecret,
          ignoreFocusOut: true,
        });
        if (value === undefined) return undefined;
        if (isSecret) await this.secrets.store(this.secretKey(manifest, name), value);
        else {
          plain[name] = value;
          changed = true;
        }
      }
      values[name] = value;
    }
    if (changed) await this.writeFile(manifest, { ...all, [key]: plain });
    return values;
  }

  async clear(manifest: vscode.Uri, analysis: ManifestAnalysis): Promise<void> {
    for (const d of analysis.model.declarations) await this.secrets.delete(this.secretKey(manifest, d.name));
    const all = await this.readFile(manifest);
    delete all[vscode.workspace.asRelativePath(manifest)];
    await this.writeFile(manifest, all);
  }
}
