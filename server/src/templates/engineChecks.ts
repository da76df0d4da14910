import { Parser } from 'freemarker-parser';
import { withoutDisabled, type ManifestDiagnostic } from '../base/diagnostic';
import { dataModelFor } from '../freemarker/dataModel';
import type { EngineProblem, FreemarkerWorker, RenderResult, TemplateError } from '../freemarker/engine';
import { evidenceFor } from '../freemarker/evidenceEvents';
import { limitBreaks } from '../manifest/limits';
import type { StreamingModel } from '../manifest/streaming';
import type { StreamingRole } from '../manifest/usage';
import { checkJson } from '../freemarker/renderBody';
import { LineIndex, type Span } from '../base/text';
import { valueFindings, type EvidenceVerdict, type TracedRender } from './valueFindings';

interface ParserError {
  message: string;
  start: number;
  end: number;
}

/** What freemarker-parser does not know (it stopped in 2021): its complaints about these are its gaps, not errors. */
const PARSER_GAPS = /sep|nested|continue|items|->|lambda|\[#|\[=|Unknown directive/i;

/**
 * Without Java: syntax errors from the in-process freemarker-parser, minus its known gaps, so a valid
 * template gets no false error. The engine stays the authority whenever it can run.
 */
export function inProcessSyntax(text: string): ManifestDiagnostic[] {
  let errors: ParserError[];
  try {
    errors = (new Parser().parse(text).ast as { errors?: ParserError[] }).errors ?? [];
  } catch {
    return [];
  }
  // A directive it does not know throws its nesting off: after one, its nesting complaints are not to be trusted.
  const usesGap = /<#(sep|nested|continue|items|break)\b|->|\[#|\[=/.test(text);
  return errors
    .filter(
      (e) =>
        !PARSER_GAPS.test(e.message) &&
        !PARSER_GAPS.test(text.slice(e.start, e.end + 20)) &&
        !(usesGap && /close tag|unclosed|unexpected/i.test(e.message)),
    )
    .map((e) => ({
      start: Math.max(0, e.start),
      end: Math.max(e.start + 1, Math.min(text.length, e.end)),
      code: 'template-syntax',
      severity: 'error' as const,
      message: `${e.message} (from the in-process parser: install Java for the FreeMarker engine's own check)`,
    }));
}

/** Without an engine: why, and the in-process parser's syntax errors. */
export function withoutEngine(engine: EngineProblem, text: string): ManifestDiagnostic[] {
  return withoutDisabled([engineUnavailable(engine), ...inProcessSyntax(text)]);
}

export function engineUnavailable(engine: EngineProblem): ManifestDiagnostic {
  return {
    start: 0,
    end: 0,
    code: 'engine-unavailable',
    severity: 'information',
    message: `${engine.problem} Until then templates get the checks that need no engine.`,
  };
}

interface SampleFailure {
  code: 'template-render-error' | 'output-not-json' | 'limit-exceeded';
  /** What the failures have in common: the engine's message, or the kind of JSON error. */
  key: string;
  span: Span;
  message: string;
  samples: string[];
  /** For output-not-json: the first failing output, shown. */
  output?: string;
}

/** "Unexpected token } in JSON at position 12" and "... at position 40" are the same failure. */
function jsonErrorKind(problem: string): string {
  return problem
    .replace(/\s*(?:in JSON )?at position \d+.*$/s, '')
    .replace(/\(line \d+ column \d+\)/, '')
    .replace(/ at line \d+, column \d+ of the output$/, '')
    .trim();
}

function sampleList(samples: string[]): string {
  const quoted = samples.map((s) => `"${s}"`);
  return samples.length === 1
    ? `the sample event ${quoted[0]}`
    : `${samples.length} sample events (${quoted.join(', ')})`;
}

/** One evidence event's render, traced, with the data model it rendered with. */
export interface EvidenceRun {
  sample: string;
  event: Record<string, unknown>;
  model: Record<string, unknown>;
  result: RenderResult;
}

/** Every evidence event rendered with a trace, queued at once: the worker batches them (renderMany). */
export function renderEvidence(
  engine: FreemarkerWorker,
  name: string,
  text: string,
  streaming: StreamingModel | undefined,
  role: StreamingRole,
): Promise<EvidenceRun[]> {
  return Promise.all(
    evidenceFor(role).map(async (sample) => {
      const model = dataModelFor(streaming, sample.event, {}, text);
      const result = await engine.render(name, text, model, { trace: true });
      return { sample: sample.name, event: sample.event, model, result };
    }),
  );
}

/** The traced renders that rendered, for the value-by-value findings. */
export function tracedRenders(runs: readonly EvidenceRun[]): TracedRender[] {
  return runs.flatMap((run) =>
    run.result.ok && run.result.printed
      ? [{ sample: run.sample, model: run.model, output: run.result.output, printed: run.result.printed }]
      : [],
  );
}

/** Groups the failures of the renders: one per distinct failure, naming its events; `explained` ones left out. */
function sampleFailures(
  runs: readonly EvidenceRun[],
  streaming: StreamingModel | undefined,
  spanOf: (e: TemplateError) => Span,
  explained: ReadonlySet<string>,
): SampleFailure[] {
  const failures = new Map<string, SampleFailure>();
  const add = (sample: string, failure: Omit<SampleFailure, 'samples'>) => {
    const id = `${failure.code}|${failure.key}`;
    const known = failures.get(id);
    if (known) known.samples.push(sample);
    else failures.set(id, { ...failure, samples: [sample] });
  };
  const limits = streaming?.limits ?? {};
  for (const { sample, event, result } of runs) {
    const body = result.ok ? result.output : undefined;
    for (const broken of limitBreaks(limits, event, body))
      add(sample, { code: 'limit-exceeded', key: broken.kind, span: spanOf(NO_POSITION), message: broken.message });
    const failure = result.ok ? jsonFailure(result.output, spanOf) : renderFailure(result.error, spanOf);
    if (failure && !(failure.code === 'output-not-json' && explained.has(sample))) add(sample, failure);
  }
  return [...failures.values()];
}

function renderFailure(e: TemplateError, spanOf: (e: TemplateError) => Span): Omit<SampleFailure, 'samples'> {
  return {
    code: 'template-render-error',
    key: `${e.line}:${e.column}:${e.message}`,
    span: spanOf(e),
    message: e.message,
  };
}

function jsonFailure(output: string, spanOf: (e: TemplateError) => Span): Omit<SampleFailure, 'samples'> | undefined {
  const problem = checkJson(output);
  if (!problem) return undefined;
  return { code: 'output-not-json', key: jsonErrorKind(problem), span: spanOf(NO_POSITION), message: problem, output };
}

const NO_POSITION: TemplateError = { kind: 'render', message: '', line: 0, column: 0, endLine: 0, endColumn: 0 };

function describeFailure(failure: SampleFailure): ManifestDiagnostic {
  if (failure.code === 'limit-exceeded') {
    return {
      ...failure.span,
      code: failure.code,
      severity: 'warning',
      message: `Over your declared limits for ${sampleList(failure.samples)}: ${failure.message}.`,
    };
  }
  if (failure.code === 'template-render-error') {
    return {
      ...failure.span,
      code: failure.code,
      severity: 'error',
      message: `Rendering fails for ${sampleList(failure.samples)}: ${failure.message}`,
    };
  }
  const output = failure.output ?? '';
  const shown = output.length > 400 ? `${output.slice(0, 400)}…` : output;
  return {
    ...failure.span,
    code: failure.code,
    severity: 'error',
    message:
      `For ${sampleList(failure.samples)} the output is not valid JSON (${failure.message}). Output ` +
      `for "${failure.samples[0]}":\n${shown}`,
  };
}

/** The engine's verdict: its findings, and (when the evidence rendered) what the evidence showed. */
export interface EngineVerdict {
  diagnostics: ManifestDiagnostic[];
  evidence?: EvidenceVerdict;
  /** Every evidence event rendered without an error. */
  allRendered: boolean;
}

function spansOf(text: string) {
  const lines = new LineIndex(text);
  const firstLine = (): Span => ({
    start: 0,
    end: Math.max(1, text.indexOf('\n') < 0 ? text.length : text.indexOf('\n')),
  });
  return (e: TemplateError): Span => {
    if (e.line <= 0) return firstLine();
    const start = lines.offsetAt({ line: e.line - 1, character: Math.max(0, e.column - 1) });
    const end =
      e.endLine > 0 ? lines.offsetAt({ line: e.endLine - 1, character: Math.max(0, e.endColumn) }) : start + 1;
    return { start, end: Math.max(end, start + 1) };
  };
}

/**
 * The real engine's verdict on a template: its syntax, then (with the manifest that names it) a traced render of
 * every evidence event (freemarker/evidenceEvents.ts), whose output must be JSON and whose printed values must
 * be the event's (templates/valueFindings.ts). Every distinct failure is reported at once, with the events that
 * hit it. Shared by the language server and `validate`.
 */
export async function engineVerdict(
  engine: FreemarkerWorker,
  name: string,
  text: string,
  streaming: StreamingModel | undefined,
  role: StreamingRole = 'events',
): Promise<EngineVerdict> {
  const spanOf = spansOf(text);
  const [parsed, runs] = await Promise.all([
    engine.parse(name, text),
    streaming === undefined ? Promise.resolve([]) : renderEvidence(engine, name, text, streaming, role),
  ]);
  if (!parsed.ok) {
    const e = parsed.error;
    const code = e.kind === 'syntax' ? 'template-syntax' : 'template-engine';
    const message = `${e.message} (FreeMarker ${engine.version})`;
    return { diagnostics: withoutDisabled([{ ...spanOf(e), code, severity: 'error', message }]), allRendered: false };
  }
  if (streaming === undefined) return { diagnostics: [], allRendered: false };
  return verdictOf(text, runs, streaming, spanOf);
}

/** What the evidence renders of a template that parsed show: their failures and the value-by-value findings. */
export function verdictOf(
  text: string,
  runs: readonly EvidenceRun[],
  streaming: StreamingModel | undefined,
  spanOf = spansOf(text),
): EngineVerdict {
  const evidence = valueFindings(text, tracedRenders(runs));
  const failures = sampleFailures(runs, streaming, spanOf, evidence.explained).map(describeFailure);
  const diagnostics = withoutDisabled([...failures, ...evidence.diagnostics]).sort((a, b) => a.start - b.start);
  return { diagnostics, evidence, allRendered: runs.every((r) => r.result.ok) };
}

/** The engine's findings alone (see engineVerdict). */
export async function engineChecks(
  engine: FreemarkerWorker,
  name: string,
  text: string,
  streaming: StreamingModel | undefined,
  role: StreamingRole = 'events',
): Promise<ManifestDiagnostic[]> {
  return (await engineVerdict(engine, name, text, streaming, role)).diagnostics;
}

/** Text findings that read an interpolation and defer to the engine where it printed the value and saw no fault. */
const DEFERRING = new Set(['unescaped-string', 'unformatted-number']);

/** The text findings the engine's verdict may drop: shown once it has spoken, not before (no flicker). */
export function awaitsEvidence(d: ManifestDiagnostic): boolean {
  return DEFERRING.has(d.code) || d.code === 'unguarded-input';
}

const overlaps = (a: Span, b: Span) => a.start < b.end && b.start < a.end;

/**
 * The text checks' findings with the engine's verdict: a text finding on an interpolation the evidence printed
 * without a fault is dropped (the engine saw the value arrive whole), and so is one the engine reports itself at
 * the same place; `unguarded-input` is dropped when every evidence event (missing fields and missing parents
 * among them) rendered. Then the engine's own findings.
 */
export function withEngineVerdict(found: ManifestDiagnostic[], verdict: EngineVerdict): ManifestDiagnostic[] {
  const evidence = verdict.evidence;
  const engine = verdict.diagnostics;
  const kept = found.filter((d) => {
    if (!evidence) return true;
    if (d.code === 'unguarded-input') return !verdict.allRendered;
    const same = engine.some((e) => e.code === d.code && e.start === d.start && e.end === d.end);
    if (same) return false;
    if (!DEFERRING.has(d.code)) return true;
    const printed = evidence.printedSpans.some((s) => overlaps(s, d));
    return !printed || engine.some((e) => overlaps(e, d));
  });
  return [...kept, ...engine];
}
