import type { Severity } from '../base/diagnostic';
import { docsUrl } from '../diagnostics/codes';
import { countsOf, type FileDiagnostic, type ValidateRun } from './finding';

/** GitHub's workflow commands: data escapes %, CR, LF; properties also : and , (actions/toolkit's rules). */
const escapeData = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (text: string) => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', information: 'notice', hint: 'notice' };

function annotation(d: FileDiagnostic): string {
  const properties = [
    `file=${escapeProperty(d.file)}`,
    `line=${d.range.start.line + 1}`,
    `col=${d.range.start.character + 1}`,
    `endLine=${d.range.end.line + 1}`,
    `endColumn=${d.range.end.character + 1}`,
    `title=${escapeProperty(d.code)}`,
  ];
  return `::${COMMAND[d.severity]} ${properties.join(',')}::${escapeData(d.message)}`;
}

/** One annotation per finding: GitHub shows them inline on the pull request (it keeps the first 10 per kind). */
export function formatGithubAnnotations(run: ValidateRun): string {
  return run.diagnostics.map(annotation).join('\n');
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/** The full list as Markdown for $GITHUB_STEP_SUMMARY, which has no cap. */
export function formatGithubSummary(run: ValidateRun): string {
  const { errors, warnings, other } = countsOf(run.diagnostics);
  const head = [
    '### Amplitude integration manifests',
    '',
    `${run.files.length} manifest(s) checked: ${errors} error(s), ${warnings} warning(s), ${other} other.`,
    '',
  ];
  if (run.diagnostics.length === 0) return [...head, 'No problems found.', ''].join('\n');
  const rows = run.diagnostics.map((d) => {
    const where = `${cell(d.file)}:${d.range.start.line + 1}:${d.range.start.character + 1}`;
    return `| ${d.severity} | \`${where}\` | [\`${d.code}\`](${docsUrl(d.code)}) | ${cell(d.message)} |`;
  });
  return [...head, '| severity | where | code | problem |', '|---|---|---|---|', ...rows, ''].join('\n');
}
