import * as vscode from 'vscode';
import { run as runSuites } from './harnessMain';

/**
 * `--extensionTestsPath` for @vscode/test-electron: VS Code calls run() in its extension host and
 * exits with its outcome. The suites are the same ones code-server runs through the harness.
 */
export async function run(): Promise<void> {
  const result = await runSuites(vscode);
  if (!result) throw new Error('AMPLITUDE_VSCODE_RESULTS is not set: start this through npm run test:vscode.');
  if (result.failed > 0) throw new Error(`${result.failed} of ${result.passed + result.failed} tests failed`);
}
