import PACKAGE from '../../../package.json';
import type { ValidateRun } from '../reports/finding';
import { formatText } from '../reports/text';
import type { ReportTarget } from './args';
import { writeOutputFile, type Io } from './io';

export const REPORT_FORMATS = ['text', 'json', 'sarif', 'junit', 'github'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const TOOL = { name: 'amplitude-integration', version: PACKAGE.version, url: PACKAGE.homepage };

/** One report. The SARIF, JUnit and GitHub writers load only when asked for: a plain `validate` starts quicker. */
export async function report(format: ReportFormat, run: ValidateRun, color: boolean): Promise<string> {
  switch (format) {
    case 'json':
      return JSON.stringify(run.diagnostics, null, 2);
    case 'sarif':
      return (await import('../reports/sarif.js')).formatSarif(run, TOOL);
    case 'junit':
      return (await import('../reports/junit.js')).formatValidateJunit(run);
    case 'github':
      return (await import('../reports/github.js')).formatGithubAnnotations(run);
    default:
      return formatText(run.diagnostics, color);
  }
}

/**
 * Stdout for one report: GitHub annotations (escaped by their writer, and their `::` must stay) and colored
 * text (its fields escaped by formatText) as they are; every other report through the printer of `io.out`.
 */
export function reportOut(io: Io): (text: string, target: ReportTarget<ReportFormat>, color: boolean) => void {
  return (text, target, color) => {
    const verbatim = target.format === 'github' || (target.format === 'text' && color);
    if (verbatim && io.verbatim) io.verbatim(text, target.format === 'text');
    else io.out(text);
  };
}

/** Each report to its file, or to stdout when it has none. */
export async function writeReports(
  targets: ReportTarget<ReportFormat>[],
  run: ValidateRun,
  out: (text: string, target: ReportTarget<ReportFormat>, color: boolean) => void,
  color: (target: ReportTarget<ReportFormat>) => boolean,
): Promise<void> {
  for (const target of targets) {
    const colored = color(target);
    const text = await report(target.format, run, colored);
    if (target.output !== undefined) writeOutputFile('--output', target.output, `${text}\n`);
    else if (text !== '') out(text, target, colored);
  }
}
