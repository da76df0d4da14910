import { Parser } from 'freemarker-parser';
import type { ManifestDiagnostic } from '../diagnostics/types';
import { dataModelFor } from '../freemarker/dataModel';
import type { EngineProblem, FreemarkerWorker } from '../freemarker/engine';
import { SAMPLE_EVENTS } from '../freemarker/sampleEvents';
import { checkJson } from '../freemarker/renderBody';
import { LineIndex, type Span } from '../manifest/text';

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
  let errors: ParserError[] = [];
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

export function engineUnavailable(engine: EngineProblem): ManifestDiagnostic {
  return {
    start: 0,
    end: 0,
    code: 'engine-unavailable',
    severity: 'information',
    message: `${engine.problem} Until then templates get the checks that need no engine.`,
  };
}

/**
 * The real engine's verdict on a template: its syntax, then (with the manifest that names it) a render
 * of every sample event, whose output must be JSON. Shared by the language server and `validate`.
 */
export async function engineChecks(
  engine: FreemarkerWorker,
  name: string,
  text: string,
  manifest: unknown,
): Promise<ManifestDiagnostic[]> {
  const lines = new LineIndex(text);
  const firstLine = (): Span => ({
    start: 0,
    end: Math.max(1, text.indexOf('\n') < 0 ? text.length : text.indexOf('\n')),
  });
  const spanOf = (line: number, column: number, endLine: number, endColumn: number): Span => {
    if (line <= 0) return firstLine();
    const start = lines.offsetAt({ line: line - 1, character: Math.max(0, column - 1) });
    const end = endLine > 0 ? lines.offsetAt({ line: endLine - 1, character: Math.max(0, endColumn) }) : start + 1;
    return { start, end: Math.max(end, start + 1) };
  };
  const parsed = await engine.parse(name, text);
  if (!parsed.ok) {
    const e = parsed.error;
    return [
      {
        ...spanOf(e.line, e.column, e.endLine, e.endColumn),
        code: e.kind === 'syntax' ? 'template-syntax' : 'template-engine',
        severity: 'error',
        message: `${e.message} (FreeMarker ${engine.version})`,
      },
    ];
  }
  if (manifest === undefined) return [];
  for (const sample of SAMPLE_EVENTS) {
    const result = await engine.render(name, text, dataModelFor(manifest, sample.event));
    if (!result.ok) {
      const e = result.error;
      return [
        {
          ...spanOf(e.line, e.column, e.endLine, e.endColumn),
          code: 'template-render-error',
          severity: 'error',
          message: `Rendering the sample event "${sample.name}" fails: ${e.message}`,
        },
      ];
    }
    const problem = checkJson(result.output);
    if (problem) {
      const shown = result.output.length > 400 ? `${result.output.slice(0, 400)}…` : result.output;
      return [
        {
          ...firstLine(),
          code: 'output-not-json',
          severity: 'error',
          message: `For the sample event "${sample.name}" the output is not valid JSON (${problem}). Output:\n${shown}`,
        },
      ];
    }
  }
  return [];
}
