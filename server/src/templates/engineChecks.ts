import { Parser } from 'freemarker-parser';
import { withoutDisabled, type ManifestDiagnostic } from '../base/diagnostic';
import { dataModelFor } from '../freemarker/dataModel';
import type { EngineProblem, FreemarkerWorker, TemplateError } from '../freemarker/engine';
import { samplesFor } from '../freemarker/sampleEvents';
import { limitBreaks } from '../manifest/limits';
import type { StreamingModel } from '../manifest/streaming';
import type { StreamingRole } from '../manifest/usage';
import { checkJson } from '../freemarker/renderBody';
import { LineIndex, type Span } from '../base/text';

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

/** Renders every sample and groups the failures: one diagnostic per distinct failure, naming its samples. */
async function sampleFailures(
  engine: FreemarkerWorker,
  name: string,
  text: string,
  streaming: StreamingModel,
  spanOf: (e: TemplateError) => Span,
  role: StreamingRole,
): Promise<SampleFailure[]> {
  const failures = new Map<string, SampleFailure>();
  const add = (sample: string, failure: Omit<SampleFailure, 'samples'>) => {
    const id = `${failure.code}|${failure.key}`;
    const known = failures.get(id);
    if (known) known.samples.push(sample);
    else failures.set(id, { ...failure, samples: [sample] });
  };
  const limits = streaming.limits;
  for (const sample of samplesFor(role)) {
    const result = await engine.render(name, text, dataModelFor(streaming, sample.event, {}, text));
    const body = result.ok ? result.output : undefined;
    for (const broken of limitBreaks(limits, sample.event, body))
      add(sample.name, {
        code: 'limit-exceeded',
        key: broken.kind,
        span: spanOf(NO_POSITION),
        message: broken.message,
      });
    let failure: Omit<SampleFailure, 'samples'> | undefined;
    if (!result.ok) {
      const e = result.error;
      failure = {
        code: 'template-render-error',
        key: `${e.line}:${e.column}:${e.message}`,
        span: spanOf(e),
        message: e.message,
      };
    } else {
      const problem = checkJson(result.output);
      if (problem)
        failure = {
          code: 'output-not-json',
          key: jsonErrorKind(problem),
          span: spanOf(NO_POSITION),
          message: problem,
          output: result.output,
        };
    }
    if (failure) add(sample.name, failure);
  }
  return [...failures.values()];
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

/**
 * The real engine's verdict on a template: its syntax, then (with the manifest that names it) a render of
 * every sample event, hostile ones included, whose output must be JSON. Every distinct failure is reported
 * at once, with the samples that hit it. Shared by the language server and `validate`.
 */
export async function engineChecks(
  engine: FreemarkerWorker,
  name: string,
  text: string,
  streaming: StreamingModel | undefined,
  role: StreamingRole = 'events',
): Promise<ManifestDiagnostic[]> {
  const lines = new LineIndex(text);
  const firstLine = (): Span => ({
    start: 0,
    end: Math.max(1, text.indexOf('\n') < 0 ? text.length : text.indexOf('\n')),
  });
  const spanOf = (e: TemplateError): Span => {
    if (e.line <= 0) return firstLine();
    const start = lines.offsetAt({ line: e.line - 1, character: Math.max(0, e.column - 1) });
    const end =
      e.endLine > 0 ? lines.offsetAt({ line: e.endLine - 1, character: Math.max(0, e.endColumn) }) : start + 1;
    return { start, end: Math.max(end, start + 1) };
  };
  const parsed = await engine.parse(name, text);
  if (!parsed.ok) {
    const e = parsed.error;
    const code = e.kind === 'syntax' ? 'template-syntax' : 'template-engine';
    const message = `${e.message} (FreeMarker ${engine.version})`;
    return withoutDisabled([{ ...spanOf(e), code, severity: 'error', message }]);
  }
  if (streaming === undefined) return [];
  return withoutDisabled((await sampleFailures(engine, name, text, streaming, spanOf, role)).map(describeFailure));
}
