import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';
import type * as vscodeTypes from 'vscode';

export interface SuiteResult {
  passed: number;
  failed: number;
  tests: { title: string; state: 'passed' | 'failed'; error?: string; durationMs?: number }[];
  notes: string[];
}

/**
 * Runs the suites with mocha and writes the results file named by AMPLITUDE_VSCODE_RESULTS. Called by
 * the harness extension's activate() in code-server, and by electronEntry in a desktop VS Code.
 */
export async function run(vscode: typeof vscodeTypes): Promise<SuiteResult | undefined> {
  const resultsFile = process.env.AMPLITUDE_VSCODE_RESULTS;
  if (!resultsFile) return undefined;
  (globalThis as { __amplitudeVscodeApi?: typeof vscodeTypes }).__amplitudeVscodeApi = vscode;
  const result: SuiteResult = { passed: 0, failed: 0, tests: [], notes: [] };
  (globalThis as { __amplitudeNotes?: string[] }).__amplitudeNotes = result.notes;
  // The workbench's own failed look-ups of outside hosts (telemetry, marketplace) surface as uncaught
  // errors in the extension host; they are not the extension's, so they must not fail a test.
  const runnerPrototype = Mocha.Runner.prototype as unknown as { _uncaught: (error: unknown) => void };
  const uncaught = runnerPrototype._uncaught;
  runnerPrototype._uncaught = function (this: unknown, error: unknown) {
    const record = error as { code?: string; hostname?: string };
    if (
      (record?.code === 'ENOTFOUND' || record?.code === 'EAI_AGAIN') &&
      record.hostname &&
      !/^(127\.|localhost)/.test(record.hostname)
    ) {
      result.notes.push(`ignored the workbench's failed look-up of ${record.hostname}`);
      return;
    }
    uncaught.call(this, error);
  };
  try {
    const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, reporter: 'dot' });
    const suiteDir = path.join(__dirname, 'suite');
    for (const file of fs
      .readdirSync(suiteDir)
      .filter((f) => f.endsWith('.test.js'))
      .sort())
      mocha.addFile(path.join(suiteDir, file));
    await new Promise<void>((resolve) => {
      const runner = mocha.run(() => resolve());
      runner.on('pass', (test) => {
        result.passed++;
        result.tests.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration });
      });
      runner.on('fail', (test, error: Error) => {
        result.failed++;
        result.tests.push({
          title: test.fullTitle(),
          state: 'failed',
          error: `${error.message}\n${error.stack ?? ''}`,
        });
      });
    });
  } catch (error) {
    result.failed++;
    result.tests.push({
      title: 'harness',
      state: 'failed',
      error: error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error),
    });
  }
  fs.writeFileSync(resultsFile, JSON.stringify(result, null, 2));
  return result;
}
