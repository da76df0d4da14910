import * as path from 'path';
import { decodeText, MAX_TEXT_BYTES, readReference } from '../base/files';
import { FreemarkerWorker, type EngineProblem } from '../freemarker/engine';
import { bodyTemplateReference, streamingRoles, type StreamingRole } from '../manifest/usage';
import { LineIndex } from '../base/text';
import { engineChecks, withoutEngine } from '../templates/engineChecks';
import { checkTemplate, templateManifestFrom } from '../templates/templateAnalysis';
import { countsOf, failsOn, type FileDiagnostic, type ValidateRun } from '../reports/finding';
import { wantsColor } from '../reports/text';
import { choice, parseCommandArgs, reportTargets, type Parsed } from './args';
import { LazyEngine } from './engine';
import { REPORT_FORMATS, reportOut, writeReports } from './reportFormats';
import { appendOutputFile, envOf, UsageError, type Io } from './io';
import { analyzeFile, findManifests, manifestScope } from './manifestFiles';
import type { ManifestAnalysis } from '../analysis';
import type { ManifestDiagnostic } from '../base/diagnostic';
import type { DescriptionLoad } from '../contract';
import { isObject } from '../base/value';

/** A streaming manifest's body template for one request: the same static and engine checks as in the editor. */
async function validateTemplate(
  manifestFile: string,
  manifest: unknown,
  engine: () => FreemarkerWorker | EngineProblem,
  role: StreamingRole,
): Promise<FileDiagnostic[]> {
  const body = bodyTemplateReference(manifest, role);
  if (!body) return [];
  const read = readReference(body, manifestScope(manifestFile), { maxBytes: MAX_TEXT_BYTES });
  if (!read.ok) return []; // reported on the manifest (file-not-local, template-missing, file-unreadable): never read
  const text = decodeText(read);
  const shown = path.relative(process.cwd(), read.path) || read.path;
  const found = checkTemplate(text, templateManifestFrom(path.basename(manifestFile), manifest, role));
  const worker = engine();
  found.push(
    ...(worker instanceof FreemarkerWorker
      ? await engineChecks(worker, path.basename(read.path), text, manifest, role)
      : withoutEngine(worker, text)),
  );
  const lines = new LineIndex(text);
  return found.map((d) => ({
    file: shown,
    range: lines.rangeOf(d),
    severity: d.severity,
    code: d.code,
    message: d.message,
  }));
}

/**
 * The contract checks, when the manifest names an API description (`apiDescription`) or the command line does. The
 * contract layer (swagger-parser, ajv) is loaded only then, so a plain validate stays quick to start.
 */
/** The descriptions read in one run, by file. */
export type DescriptionLoads = Map<string, Promise<DescriptionLoad>>;

async function contractFindings(
  file: string,
  analysis: ManifestAnalysis,
  engine: () => FreemarkerWorker | EngineProblem,
  apiDescription: string | undefined,
  loads: DescriptionLoads,
): Promise<ManifestDiagnostic[]> {
  const value = analysis.doc.value;
  const named = isObject(value) && typeof value.apiDescription === 'string';
  if (apiDescription === undefined && !named) return [];
  const contract = await import('../contract/index.js');
  const scope = manifestScope(file);
  const source = contract.descriptionSource(value, scope, apiDescription);
  if (!source) return [];
  // Several manifests naming one description (or --api-description for all): read and dereferenced once a run.
  const key = 'refused' in source ? undefined : source.file;
  const cached = key === undefined ? undefined : loads.get(key);
  const pending = cached ?? contract.loadFromSource(source);
  if (key !== undefined && !cached) loads.set(key, pending);
  const load = await pending;
  return contract.contractDiagnostics(analysis.doc, analysis.model, load, { scope, engine });
}

/** A manifest's diagnostics, its body template's, and its contract checks when it has an API description. */
export async function validateFileAndTemplate(
  file: string,
  engine: () => FreemarkerWorker | EngineProblem,
  apiDescription?: string,
  loads: DescriptionLoads = new Map(),
): Promise<FileDiagnostic[]> {
  const analysis = analyzeFile(file);
  const contract = await contractFindings(file, analysis, engine, apiDescription, loads);
  const diagnostics = [...analysis.diagnostics, ...contract].map((d) => ({
    file,
    range: analysis.doc.lines.rangeOf(d),
    severity: d.severity,
    code: d.code,
    message: d.message,
  }));
  const templates: FileDiagnostic[] = [];
  for (const role of streamingRoles(analysis.doc.value))
    templates.push(...(await validateTemplate(file, analysis.doc.value, engine, role)));
  return [...diagnostics, ...templates];
}

const FAIL_ON = ['error', 'warning', 'info', 'none'] as const;

function summaryLine(run: ValidateRun): string {
  const { errors, warnings, other } = countsOf(run.diagnostics);
  const failing = run.diagnostics.filter((d) => failsOn(d.severity, run.failOn)).length;
  const verdict = failing > 0 ? `; ${failing} at or above --fail-on ${run.failOn}` : '';
  return (
    `${plural(run.files.length, 'manifest')} checked: ${plural(errors, 'error')}, ` +
    `${plural(warnings, 'warning')}, ${other} other${verdict}.`
  );
}

/** Every report the command line asks for; on GitHub Actions without --format, annotations and the step summary. */
async function writeAllReports(parsed: Parsed, run: ValidateRun, io: Io): Promise<void> {
  const env = envOf(io);
  const onGithub = env.GITHUB_ACTIONS === 'true';
  const targets = reportTargets(parsed, REPORT_FORMATS, onGithub ? 'github' : 'text');
  const color = wantsColor({ isTTY: io.isTTY }, env);
  await writeReports(targets, run, reportOut(io), (target) => target.output === undefined && color);
  if (targets.some((t) => t.format === 'github') && env.GITHUB_STEP_SUMMARY) {
    const { formatGithubSummary } = await import('../reports/github.js');
    appendOutputFile('$GITHUB_STEP_SUMMARY', env.GITHUB_STEP_SUMMARY, formatGithubSummary(run));
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export async function validateCommand(args: string[], io: Io): Promise<number> {
  const parsed = parseCommandArgs(args, {
    format: { type: 'string', multiple: true },
    output: { type: 'string', multiple: true },
    'fail-on': { type: 'string' },
    jar: { type: 'string' },
    'api-description': { type: 'string' },
  });
  const failOn = choice(parsed, 'fail-on', FAIL_ON, 'error');
  reportTargets(parsed, REPORT_FORMATS, 'text'); // bad usage is reported before any work
  if (parsed.positionals.length === 0) throw new UsageError('validate needs at least one file or folder.');
  const found = findManifests(parsed.positionals);
  const files = [...found.files, ...found.refused.map((r) => r.file)];
  if (files.length === 0)
    throw new UsageError(`No *.amplitude.json manifests found in ${parsed.positionals.join(', ')}.`);
  for (const note of found.notes) io.err(note);
  // One FreeMarker worker for every template, started only if a streaming manifest names one.
  const engine = new LazyEngine(parsed.values.get('jar'));
  const diagnostics: FileDiagnostic[] = [...found.refused];
  try {
    const apiDescription = parsed.values.get('api-description');
    const loads: DescriptionLoads = new Map();
    for (const file of found.files)
      diagnostics.push(...(await validateFileAndTemplate(file, () => engine.get(), apiDescription, loads)));
  } finally {
    engine.dispose();
  }
  const run: ValidateRun = { files, diagnostics, failOn };
  await writeAllReports(parsed, run, io);
  io.err(summaryLine(run));
  return diagnostics.some((d) => failsOn(d.severity, failOn)) ? 1 : 0;
}
