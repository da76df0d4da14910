import junit from 'junit-report-builder';
import { failsOn, type ValidateRun } from './finding';
import { formatText } from './text';

/**
 * JUnit XML with junit-report-builder: one test case per manifest, failed when it has a finding at or above
 * `--fail-on` (the findings are the failure's text). Every CI shows this as a test report.
 */
export function formatValidateJunit(run: ValidateRun): string {
  const builder = junit.newBuilder();
  const suite = builder.testSuite().name('amplitude-integration validate');
  const files = [...new Set([...run.files, ...run.diagnostics.map((d) => d.file)])];
  for (const file of files) {
    const own = run.diagnostics.filter((d) => d.file === file);
    const failing = own.filter((d) => failsOn(d.severity, run.failOn));
    const test = suite.testCase().className('validate').name(file).file(file);
    if (failing.length > 0) {
      const first = failing[0];
      test.failure(`${failing.length} problem(s): ${first.code} ${first.message}`, first.code);
      test.standardOutput(formatText(own));
    } else if (own.length > 0) {
      test.standardOutput(formatText(own));
    }
  }
  return builder.build();
}

/** One outcome of `test` or `simulate`: an endpoint call or a scenario. */
export interface Outcome {
  name: string;
  /** The endpoint or scenario family, JUnit's class name. */
  group: string;
  ok: boolean;
  /** Why it failed: the classification, the status, the unmet expectation. */
  failure?: string;
  /** What happened, for the report's output. */
  detail?: string;
  seconds?: number;
}

export function formatOutcomesJunit(suiteName: string, outcomes: readonly Outcome[]): string {
  const builder = junit.newBuilder();
  const suite = builder.testSuite().name(suiteName);
  for (const outcome of outcomes) {
    const test = suite.testCase().className(outcome.group).name(outcome.name);
    if (outcome.seconds !== undefined) test.time(outcome.seconds);
    if (!outcome.ok) test.failure(outcome.failure ?? 'failed');
    if (outcome.detail) test.standardOutput(outcome.detail);
  }
  return builder.build();
}
