import * as path from 'path';
import { analyzeManifest, type ManifestAnalysis } from '../analysis';
import { classifyChanges, IMPACT_CODES, type Impact, type ManifestChange } from '../diff/classify';
import { isRevision, templatesAtRevision, textAtRevision } from '../diff/git';
import { templatesOnDisk } from '../diff/templates';
import { nodeFiles } from '../base/files';
import type { FileDiagnostic, ValidateRun } from '../reports/finding';
import { choice, parseCommandArgs, reportTargets } from './args';
import { UsageError, type Io } from './io';
import { analyzeForTest, manifestScope } from './manifestFiles';
import { REPORT_FORMATS, reportOut, writeReports } from './reportFormats';

const SEVERITY: Record<Impact, FileDiagnostic['severity']> = {
  breaking: 'error',
  risky: 'warning',
  safe: 'information',
};
const FAIL_ON = ['breaking', 'risky', 'none'] as const;
/** --fail-on in the reports' terms: breaking changes are errors, risky ones warnings. */
const THRESHOLD = { breaking: 'error', risky: 'warning', none: 'none' } as const;

/** The manifest as it was at a git revision: an error when git cannot give it as a manifest, never an empty one. */
async function atRevision(file: string, revision: string): Promise<ManifestAnalysis> {
  if (!isRevision(revision)) throw new UsageError(`--base "${revision}" is not a git revision.`);
  const old = await textAtRevision(file, revision);
  if (!old.ok) throw new UsageError(`${file} at ${revision} ${old.problem}.`);
  const analysis = analyzeManifest(old.text);
  const problem = analysis.doc.syntaxProblems[0];
  if (problem) {
    const at = analysis.doc.lines.positionAt(problem.start);
    throw new UsageError(
      `${file} at ${revision} is not valid JSON (${at.line + 1}:${at.character + 1}: ${problem.message}), ` +
        'so there is nothing to compare with.',
    );
  }
  return analysis;
}

/** Both versions' body templates: the old one's from git at --base, or beside the old file. */
async function templates(files: string[], base: string | undefined, before: ManifestAnalysis, after: ManifestAnalysis) {
  const newFile = files[files.length - 1];
  const oldTemplates = base
    ? await templatesAtRevision(before.model.streaming, base, manifestScope(newFile))
    : templatesOnDisk(before.model.streaming, manifestScope(files[0]), nodeFiles);
  const afterTemplates = templatesOnDisk(after.model.streaming, manifestScope(newFile), nodeFiles);
  return { before: oldTemplates, after: afterTemplates };
}

function asFinding(change: ManifestChange, file: string, after: ManifestAnalysis): FileDiagnostic {
  let span = after.doc.spanAt(change.path);
  for (let up = change.path.length; span.start === 0 && span.end === 0 && up > 0; up--)
    span = after.doc.spanAt(change.path.slice(0, up - 1));
  return {
    file,
    range: after.doc.lines.rangeOf(span),
    severity: SEVERITY[change.impact],
    code: IMPACT_CODES[change.impact],
    message: `${change.impact}: ${change.message}`,
  };
}

/** `diff <old> <new>` or `diff <manifest> --base <revision>`: each change classified for existing customers. */
export async function diffCommand(args: string[], io: Io): Promise<number> {
  const parsed = parseCommandArgs(args, {
    base: { type: 'string' },
    format: { type: 'string', multiple: true },
    output: { type: 'string', multiple: true },
    'fail-on': { type: 'string' },
  });
  const failOn = choice(parsed, 'fail-on', FAIL_ON, 'none');
  const base = parsed.values.get('base');
  const files = parsed.positionals;
  if (base ? files.length !== 1 : files.length !== 2)
    throw new UsageError('diff needs <old> <new>, or one manifest and --base <git revision>.');
  const newFile = files[files.length - 1];
  const before = base ? await atRevision(newFile, base) : analyzeForTest(files[0]);
  const after = analyzeForTest(newFile);
  const changes = classifyChanges(before, after, await templates(files, base, before, after));
  const shown = path.relative(process.cwd(), newFile) || newFile;
  const findings = changes.map((c) => asFinding(c, shown, after));
  const run: ValidateRun = { files: [shown], diagnostics: findings, failOn: THRESHOLD[failOn] };
  await writeReports(reportTargets(parsed, REPORT_FORMATS, 'text'), run, reportOut(io), () => false);
  const count = (impact: Impact) => changes.filter((c) => c.impact === impact).length;
  io.err(`${changes.length} change(s): ${count('breaking')} breaking, ${count('risky')} risky, ${count('safe')} safe.`);
  if (failOn === 'none') return 0;
  return changes.some((c) => c.impact === 'breaking' || (failOn === 'risky' && c.impact === 'risky')) ? 1 : 0;
}
