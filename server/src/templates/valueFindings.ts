import type { PrintedSpan } from '../freemarker/engine';
import type { Fix, ManifestDiagnostic } from '../base/diagnostic';
import { LineIndex, type Span } from '../base/text';
import { INPUT_FIELD_KINDS } from '../ftl/eventModel';
import { scanTemplate } from '../ftl/interpolations';
import { findReferences, type DataModelReference } from '../ftl/references';
import {
  amplitudeTime,
  defaultFormat,
  duplicateKeys,
  numberProblem,
  numbersIn,
  printedTime,
  readBody,
  shiftWords,
  stringAround,
  stringsIn,
  timeShiftUs,
  validStringContent,
  type BodyReading,
} from './printedValues';

/** A stretch of the output and the template span that printed it. */
export type TracedSpan = PrintedSpan;

/** One evidence event's traced render. */
export interface TracedRender {
  sample: string;
  /** The data model it rendered with (input, mappedProperties, ...). */
  model: Record<string, unknown>;
  output: string;
  printed: readonly TracedSpan[];
}

export type ValueCode =
  | 'unescaped-string'
  | 'unformatted-number'
  | 'number-changed'
  | 'string-changed'
  | 'time-shifted'
  | 'duplicate-key'
  | 'output-not-json';

/** One finding of one event, before the events that show the same thing are gathered. */
interface Observation {
  code: ValueCode;
  span: Span;
  /** What this problem is, the same across events (gathers them). */
  what: string;
  /** The bytes this event printed, and what they should have been. */
  shown: string;
  /** This finding explains the event's invalid JSON. */
  breaksJson: boolean;
}

/** What the evidence showed: the findings, and what they account for. */
export interface EvidenceVerdict {
  diagnostics: ManifestDiagnostic[];
  /** Events whose invalid JSON a finding on an interpolation explains (no second, unplaced report). */
  explained: Set<string>;
  /** Template spans of the interpolations that printed for at least one event: the engine saw them. */
  printedSpans: Span[];
}

const quoted = (s: string) => JSON.stringify(s.length > 120 ? `${s.slice(0, 120)}…` : s);

/**
 * The one data-model value an interpolation reads, when it reads exactly one (by the references in its span):
 * `value` undefined when this event lacks it (a default printed).
 */
function sourceOf(
  refs: DataModelReference[],
  span: Span,
  model: Record<string, unknown>,
): { value: unknown; field: string[] } | undefined {
  const inside = refs.filter((r) => r.start >= span.start && r.end <= span.end);
  const paths = new Set(inside.map((r) => r.path.replace(/\s+/g, '')));
  if (paths.size !== 1) return undefined;
  const ref = inside[0];
  let value: unknown = model[ref.root];
  const members = /\.\s*([A-Za-z_$][\w$]*)|\[\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')\s*\]/g;
  const rest = ref.path.slice(ref.root.length);
  const names: string[] = [];
  for (let m = members.exec(rest); m; m = members.exec(rest)) {
    const name = m[1] ?? (JSON.parse(m[2].startsWith("'") ? `"${m[2].slice(1, -1)}"` : m[2]) as string);
    names.push(name);
    value = value && typeof value === 'object' ? (value as Record<string, unknown>)[name] : undefined;
  }
  const field = ref.root === 'input' ? names : [];
  return { value: value === null ? undefined : value, field };
}

/** Built-ins that change a number on purpose: what they print is not compared with the source. */
const ON_PURPOSE = /\?\s*(?:round|floor|ceiling|int|abs|truncate|substring|keep_before|keep_after|replace)\b/;

interface SpanContext {
  render: TracedRender;
  reading: BodyReading;
  refs: DataModelReference[];
  template: string;
  span: Span;
  out: { start: number; end: number };
}

function numberFinding(c: SpanContext, printed: string, n: number, bare: boolean): Observation | undefined {
  const problem = numberProblem(printed, n);
  if (!problem) return undefined;
  const shown = `it printed ${printed.trim()} for ${String(n)}`;
  if (problem.kind !== 'rounded')
    return {
      code: 'unformatted-number',
      span: c.span,
      what: problem.kind === 'locale' ? 'locale' : 'grouped',
      shown,
      breaksJson: bare && c.reading.errorAt !== undefined,
    };
  return { code: 'number-changed', span: c.span, what: 'rounded', shown, breaksJson: false };
}

/** A number of the event printed grouped by the default format, read by no one known path. */
function anyNumberFinding(c: SpanContext, printed: string, bare: boolean): Observation | undefined {
  const t = printed.trim();
  for (const n of modelNumbers(c.render.model)) {
    const formatted = defaultFormat(n);
    if (formatted === t && formatted.includes(',')) return numberFinding(c, t, n, bare);
  }
  return undefined;
}

function timeFinding(c: SpanContext, value: string, source: string | undefined): Observation | undefined {
  const printed = printedTime(value);
  if (!printed) return undefined;
  const input = c.render.model.input as Record<string, unknown> | undefined;
  const candidates = source
    ? [source]
    : Object.entries(input ?? {})
        .filter(([k, v]) => INPUT_FIELD_KINDS[k] === 'time' && typeof v === 'string')
        .map(([, v]) => v as string);
  let nearest: { shift: number; text: string } | undefined;
  for (const text of candidates) {
    const at = amplitudeTime(text);
    if (!at) continue;
    const shift = timeShiftUs(at, printed);
    if (shift === 0) return undefined;
    if (!nearest || Math.abs(shift) < Math.abs(nearest.shift)) nearest = { shift, text };
  }
  // Unread by a known path, a time a day away is another time (now, a constant), not this one shifted.
  if (!nearest || (!source && Math.abs(nearest.shift) > 86_400e6)) return undefined;
  const shown = `its time ${nearest.text} arrived as ${value}, ${shiftWords(nearest.shift)}`;
  return { code: 'time-shifted', span: c.span, what: 'time', shown, breaksJson: false };
}

/** Per data model, computed once: a render prints hundreds of values of the same model. */
const stringsOf = new WeakMap<Record<string, unknown>, Set<string>>();
const numbersOf = new WeakMap<Record<string, unknown>, number[]>();

function modelNumbers(model: Record<string, unknown>): number[] {
  let found = numbersOf.get(model);
  if (!found) numbersOf.set(model, (found = numbersIn(model.input)));
  return found;
}

/** The strings of a data model, and what its JSON-literal strings (mappedProperties values) hold. */
function modelStrings(model: Record<string, unknown>): Set<string> {
  let found = stringsOf.get(model);
  if (!found) stringsOf.set(model, (found = new Set(literalStrings(model))));
  return found;
}

function literalStrings(model: Record<string, unknown>): string[] {
  return stringsIn(model).flatMap((s) => {
    if (!/^".*"$/s.test(s)) return [s];
    try {
      return [s, JSON.parse(s) as string];
    } catch {
      return [s];
    }
  });
}

/** The event's string that `decoded` is the JSON escape of (a value escaped once too often), if any. */
function escapedTwice(decoded: string, strings: ReadonlySet<string>): string | undefined {
  for (const s of strings) if (/["\\]/.test(s) && decoded === JSON.stringify(s).slice(1, -1)) return s;
  return undefined;
}

function stringFinding(c: SpanContext, decoded: string, source: unknown): Observation | undefined {
  const strings = typeof source === 'string' ? new Set([source]) : modelStrings(c.render.model);
  if (decoded.length >= 2 && decoded.startsWith('"') && decoded.endsWith('"')) {
    let inner: unknown;
    try {
      inner = JSON.parse(decoded);
    } catch {
      inner = undefined;
    }
    if (typeof inner === 'string' && strings.has(inner))
      return {
        code: 'string-changed',
        span: c.span,
        what: 'double-encoded',
        shown: `it printed ${quoted(decoded)}: the value's own JSON quotes, escaped once more`,
        breaksJson: false,
      };
  }
  const twice = decoded.includes('\\') ? escapedTwice(decoded, strings) : undefined;
  if (twice !== undefined)
    return {
      code: 'string-changed',
      span: c.span,
      what: 'double-encoded',
      shown: `${quoted(twice)} arrived as ${quoted(decoded)}: escaped for JSON twice`,
      breaksJson: false,
    };
  if (typeof source === 'string' && /\s\s|^\s|\s$|[\n\t]/.test(source) && decoded !== source) {
    const collapsed = source.replace(/\s+/g, ' ');
    if (decoded === collapsed || decoded === collapsed.trim())
      return {
        code: 'string-changed',
        span: c.span,
        what: 'collapsed',
        shown: `${quoted(source)} arrived as ${quoted(decoded)}, its spaces collapsed`,
        breaksJson: false,
      };
  }
  return undefined;
}

/** An interpolation printed inside a JSON string literal of the output. */
function inString(c: SpanContext, literal: { start: number; end: number }): Observation | undefined {
  const raw = c.render.output.slice(c.out.start, c.out.end);
  const broke = c.out.end > literal.end - 1 || !validStringContent(raw);
  if (broke)
    return {
      code: 'unescaped-string',
      span: c.span,
      what: 'broke',
      shown: `it printed ${quoted(raw)}, which ends or breaks the JSON string`,
      breaksJson: c.reading.errorAt !== undefined,
    };
  const decoded = JSON.parse(`"${raw}"`) as string;
  const source = sourceOf(c.refs, c.span, c.render.model);
  // A source this event lacks printed the template's default: nothing of the event to compare with.
  if (source && source.value === undefined) return undefined;
  const expression = c.template.slice(c.span.start, c.span.end);
  const whole = JSON.parse(c.render.output.slice(literal.start, literal.end)) as string;
  if (source && typeof source.value === 'number' && !ON_PURPOSE.test(expression))
    return numberFinding(c, decoded, source.value, false);
  const timeField = source && INPUT_FIELD_KINDS[source.field[0]] === 'time' && source.field.length === 1;
  if (timeField || !source) {
    const time = timeFinding(c, whole, timeField ? (source.value as string) : undefined);
    if (time) return time;
  }
  if (!source && !ON_PURPOSE.test(expression)) {
    const number = anyNumberFinding(c, decoded, false);
    if (number) return number;
  }
  return stringFinding(c, decoded, source?.value);
}

/** An interpolation printed outside any string: a bare value (a number, a boolean, a literal, or broken text). */
function bare(c: SpanContext): Observation | undefined {
  const raw = c.render.output.slice(c.out.start, c.out.end);
  const source = sourceOf(c.refs, c.span, c.render.model);
  const expression = c.template.slice(c.span.start, c.span.end);
  if (!ON_PURPOSE.test(expression) && !(source && source.value === undefined)) {
    const number =
      source && typeof source.value === 'number'
        ? numberFinding(c, raw, source.value, true)
        : anyNumberFinding(c, raw, true);
    if (number) return number;
  }
  if (source && INPUT_FIELD_KINDS[source.field[0]] === 'time' && typeof source.value === 'string') {
    const time = timeFinding(c, raw, source.value);
    if (time) return time;
  }
  const at = c.reading.errorAt;
  if (at !== undefined && at >= c.out.start && at < c.out.end && raw.trim() !== '')
    return {
      code: 'output-not-json',
      span: c.span,
      what: 'bare',
      shown: `it printed ${quoted(raw)} outside quotes, where JSON needs a value`,
      breaksJson: true,
    };
  return undefined;
}

/**
 * `<#compress>` prints its block as one stretch: each interpolation inside it that read a string with runs of
 * spaces is looked for in that stretch, whole or collapsed.
 */
function compressed(template: string, refs: DataModelReference[], render: TracedRender, block: Span, out: string) {
  const found: Observation[] = [];
  for (const item of scanTemplate(template.slice(block.start, block.end)).interpolations) {
    const span = { start: block.start + item.start, end: block.start + item.end };
    const source = sourceOf(refs, span, render.model)?.value;
    if (typeof source !== 'string' || !/\s\s|[\n\t]/.test(source.trim())) continue;
    const escaped = (v: string) => JSON.stringify(v).slice(1, -1);
    const collapsed = source.replace(/\s+/g, ' ');
    if (out.includes(escaped(source)) || out.includes(source) || !out.includes(escaped(collapsed).trim())) continue;
    const shown = `${quoted(source)} arrived as ${quoted(collapsed)}, its spaces collapsed by <#compress>`;
    found.push({ code: 'string-changed', span, what: 'collapsed', shown, breaksJson: false });
  }
  return found;
}

function templateSpan(lines: LineIndex, s: TracedSpan): Span {
  const start = lines.offsetAt({ line: s.line - 1, character: Math.max(0, s.column - 1) });
  const end = lines.offsetAt({ line: s.endLine - 1, character: Math.max(0, s.endColumn) });
  return { start, end: Math.max(end, start + 1) };
}

/** The key itself when static text printed it as written; else the whole span that printed it. */
function keySpan(template: string, lines: LineIndex, s: TracedSpan, key: { offset: number; length: number }): Span {
  const span = templateSpan(lines, s);
  const at = span.start + (key.offset - s.start);
  return s.kind === 'text' && s.line === s.endLine && at + key.length <= span.end
    ? { start: at, end: at + key.length }
    : span;
}

function observe(template: string, lines: LineIndex, refs: DataModelReference[], render: TracedRender) {
  const reading = readBody(render.output);
  const found: Observation[] = [];
  const printed: Span[] = [];
  for (const s of render.printed) {
    if (s.kind === 'other' && s.line > 0) {
      const block = templateSpan(lines, s);
      if (/^[<[]#compress\b/.test(template.slice(block.start, block.start + 12)))
        found.push(...compressed(template, refs, render, block, render.output.slice(s.start, s.end)));
    }
    if (s.kind !== 'interpolation' || s.line <= 0) continue;
    const span = templateSpan(lines, s);
    printed.push(span);
    if (s.end <= s.start) continue;
    const c: SpanContext = { render, reading, refs, template, span, out: s };
    const literal = stringAround(reading, s.start);
    const seen = literal && literal.start < s.start ? inString(c, literal) : bare(c);
    if (seen) found.push(seen);
  }
  for (const d of duplicateKeys(reading.tree)) {
    const s = render.printed.find((p) => p.start <= d.offset && d.offset < p.end && p.line > 0);
    if (!s) continue;
    const shown = `the key "${d.key}" came twice in one object`;
    found.push({ code: 'duplicate-key', span: keySpan(template, lines, s, d), what: d.key, shown, breaksJson: false });
  }
  return { found, printed, invalid: reading.errorAt !== undefined };
}

const ADVICE: Record<ValueCode, string> = {
  'unescaped-string': 'Escape it with ?json_string (for a default, (x!"")?json_string).',
  'unformatted-number':
    'FreeMarker prints numbers for people by default (grouped, 3 decimals at most): print it with ?c ' +
    '(for a default, (x!0)?c), or set <#setting number_format="computer"> at the top.',
  'number-changed': 'The number format cuts digits: print it with ?c, which keeps every digit.',
  'string-changed':
    'Print the value as it is: mappedProperties values are JSON literals already, and ' +
    '<#compress> rewrites the spaces of what it wraps.',
  'time-shifted':
    'The pattern reads the fraction wrong (S is milliseconds: SSSSSS reads 6 digits as ms): keep the ' +
    'text (input.event_time), or parse only the milliseconds (keep_before_last 3 digits) before ?datetime.',
  'duplicate-key': 'Keep one: a receiver keeps only one of the two values.',
  'output-not-json': 'Quote it ("${...?json_string}") or print a JSON value (?c for a number or boolean).',
};

const SEVERITY: Record<ValueCode, ManifestDiagnostic['severity']> = {
  'unescaped-string': 'warning',
  'unformatted-number': 'warning',
  'number-changed': 'warning',
  'string-changed': 'warning',
  'time-shifted': 'warning',
  'duplicate-key': 'warning',
  'output-not-json': 'error',
};

/** `X!D` (a path and a plain default, in parentheses or not): what a fix keeps around the path. */
const DEFAULTED_PATH = /^\(?\s*([\w.$[\]"' ]+?)\s*\)?\s*!\s*(""|0|-1|false)\s*\)?$/;
const SIMPLE_PATH = /^[\w.$[\]"']+$/;

/** The expression with `builtIn` applied to the value, precedence right: `(x?c)!""`, `(x!"")?json_string`. */
function applied(expression: string, builtIn: 'c' | 'json_string'): string {
  const base = expression
    .trim()
    .replace(/\?\s*(?:json_string|string|c)\s*$/, '')
    .trim();
  const defaulted = DEFAULTED_PATH.exec(base);
  if (defaulted && builtIn === 'c') return `(${defaulted[1]}?c)!${defaulted[2]}`;
  return SIMPLE_PATH.test(base) ? `${base}?${builtIn}` : `(${base})?${builtIn}`;
}

const FIXING_BUILT_IN: Partial<Record<ValueCode, 'c' | 'json_string'>> = {
  'unformatted-number': 'c',
  'unescaped-string': 'json_string',
};

/** A fix for what the evidence showed, on the interpolation's expression (the engine verifies it before offer). */
function fixFor(template: string, code: ValueCode, span: Span): Fix[] | undefined {
  const text = template.slice(span.start, span.end);
  if (!text.startsWith('${') || !text.endsWith('}')) return undefined;
  const expression = text.slice(2, -1);
  const builtIn = FIXING_BUILT_IN[code];
  if (!builtIn) return undefined;
  const content = applied(expression, builtIn);
  const title = builtIn === 'c' ? `Print the number with ?c: ${content}` : `Escape it: ${content}`;
  return [{ title, edits: () => [{ offset: span.start + 2, length: expression.length, content }] }];
}

function describe(code: ValueCode, span: Span, seen: { sample: string; shown: string }[]): ManifestDiagnostic {
  const names = [...new Set(seen.map((s) => s.sample))];
  const which =
    names.length === 1
      ? `the sample event "${names[0]}"`
      : `${names.length} sample events (${names
          .slice(0, 4)
          .map((n) => `"${n}"`)
          .join(', ')}${names.length > 4 ? ', …' : ''})`;
  const message = `For ${which} ${seen[0].shown}. ${ADVICE[code]}`;
  return { ...span, code, severity: SEVERITY[code], message };
}

/**
 * The value-by-value verdict of traced renders: each printed interpolation compared with the value it read, at
 * the interpolation, naming the events that showed it with their bytes. Pure over the template and the renders.
 */
export function valueFindings(template: string, renders: readonly TracedRender[]): EvidenceVerdict {
  const lines = new LineIndex(template);
  const refs = findReferences(template);
  const groups = new Map<string, { code: ValueCode; span: Span; seen: { sample: string; shown: string }[] }>();
  const explained = new Set<string>();
  const printedSpans = new Map<string, Span>();
  for (const render of renders) {
    const { found, printed, invalid } = observe(template, lines, refs, render);
    for (const span of printed) printedSpans.set(`${span.start}:${span.end}`, span);
    for (const o of found) {
      const key = `${o.code}|${o.span.start}:${o.span.end}|${o.what}`;
      const group = groups.get(key) ?? { code: o.code, span: o.span, seen: [] };
      group.seen.push({ sample: render.sample, shown: o.shown });
      groups.set(key, group);
      if (o.breaksJson && invalid) explained.add(render.sample);
    }
  }
  const diagnostics = [...groups.values()].map((g) => ({
    ...describe(g.code, g.span, g.seen),
    fixes: fixFor(template, g.code, g.span),
  }));
  return { diagnostics, explained, printedSpans: [...printedSpans.values()] };
}
