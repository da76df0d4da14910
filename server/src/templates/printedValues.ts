import { createScanner, parseTree, SyntaxKind, type Node, type ParseError } from 'jsonc-parser';

/**
 * The rendered body read as JSON with positions: where each string literal runs, the value tree, and the first
 * parse error. Pure over the output text; valueFindings.ts puts it next to the trace.
 */
export interface BodyReading {
  /** String literals of the output, in order: [offset, end) including their quotes. */
  strings: { start: number; end: number }[];
  tree: Node | undefined;
  /** Offset of the first JSON error, or undefined when the output is JSON. */
  errorAt: number | undefined;
}

export function readBody(output: string): BodyReading {
  const strings: { start: number; end: number }[] = [];
  const scanner = createScanner(output, true);
  for (let kind = scanner.scan(); kind !== SyntaxKind.EOF; kind = scanner.scan()) {
    if (kind === SyntaxKind.StringLiteral)
      strings.push({ start: scanner.getTokenOffset(), end: scanner.getTokenOffset() + scanner.getTokenLength() });
  }
  const errors: ParseError[] = [];
  const tree = parseTree(output, errors, { disallowComments: true, allowTrailingComma: false });
  let errorAt = errors[0]?.offset;
  if (errorAt === undefined) {
    try {
      JSON.parse(output);
    } catch {
      errorAt = 0; // what jsonc-parser lets pass (an empty output): JSON.parse is the judge
    }
  }
  return { strings, tree, errorAt };
}

/** The string literal whose contents hold `offset` (after its opening quote, up to its closing one). */
export function stringAround(reading: BodyReading, offset: number): { start: number; end: number } | undefined {
  let lo = 0;
  let hi = reading.strings.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = reading.strings[mid];
    if (offset <= s.start) hi = mid - 1;
    else if (offset >= s.end) lo = mid + 1;
    else return s;
  }
  return undefined;
}

/** True when `raw` can stand inside a JSON string literal as it is: no bare quote, control character or bad escape. */
export function validStringContent(raw: string): boolean {
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 0x22 || c < 0x20) return false;
    if (c !== 0x5c) continue;
    const next = raw[i + 1];
    if (next === 'u') {
      if (!/^[0-9a-fA-F]{4}$/.test(raw.slice(i + 2, i + 6))) return false;
      i += 5;
    } else if (next !== undefined && '"\\/bfnrt'.includes(next)) i++;
    else return false;
  }
  return true;
}

/** Duplicate keys: for each object of the output, the key nodes after the first of their name. */
export function duplicateKeys(tree: Node | undefined): { key: string; offset: number; length: number }[] {
  const out: { key: string; offset: number; length: number }[] = [];
  const walk = (node: Node) => {
    if (node.type === 'object') {
      const seen = new Set<string>();
      for (const property of node.children ?? []) {
        const keyNode = property.children?.[0];
        if (!keyNode || typeof keyNode.value !== 'string') continue;
        const key = keyNode.value;
        if (seen.has(key)) out.push({ key, offset: keyNode.offset, length: keyNode.length });
        seen.add(key);
      }
    }
    for (const child of node.children ?? []) walk(child);
  };
  if (tree) walk(tree);
  return out;
}

/** `1,299.99`, `501,234,567,890`: digits grouped in threes, as FreeMarker's default format prints a number. */
export const GROUPED_NUMBER = /^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;
/** `1.299,99`: a locale that groups with dots and writes decimals with a comma (de_DE). */
const DOT_GROUPED = /^-?\d{1,3}(?:\.\d{3})*,\d+$|^-?\d{1,3}(?:\.\d{3})+$/;
const PLAIN_NUMBER = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** FreeMarker's default number format for en_US: grouped, at most 3 decimals (1,299.99; 37.775). */
export function defaultFormat(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: 3, useGrouping: true });
}

export type NumberProblem = { kind: 'grouped' | 'locale' | 'rounded'; printed: string } | undefined;

/** `n` rounded or cut to `digits` decimals, as a number. */
const toDigits = (n: number, digits: number, how: (x: number) => number) => how(n * 10 ** digits) / 10 ** digits;

/** What happened to the number `n` printed as `text` (undefined: it arrived as itself, or as something else). */
export function numberProblem(text: string, n: number): NumberProblem {
  const t = text.trim();
  if (t === '' || !Number.isFinite(n)) return undefined;
  if (PLAIN_NUMBER.test(t)) {
    const v = Number(t);
    if (v === n) return undefined;
    const near = [0, 1, 2, 3, 4, 5].some((d) => [Math.round, Math.trunc].some((how) => toDigits(n, d, how) === v));
    return near ? { kind: 'rounded', printed: t } : undefined;
  }
  if (GROUPED_NUMBER.test(t) && nearly(Number(t.replace(/,/g, '')), n)) return { kind: 'grouped', printed: t };
  if (DOT_GROUPED.test(t) && nearly(Number(t.replace(/\./g, '').replace(',', '.')), n))
    return { kind: 'locale', printed: t };
  return undefined;
}

/** Equal, or equal once rounded to the 3 decimals the default format keeps. */
function nearly(v: number, n: number): boolean {
  return v === n || toDigits(n, 3, Math.round) === v;
}

/** Every number in a value (an event), nested ones included. */
export function numbersIn(value: unknown, out: number[] = []): number[] {
  if (typeof value === 'number') out.push(value);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) numbersIn(v, out);
  return out;
}

/** Every string in a value, nested ones included. */
export function stringsIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) stringsIn(v, out);
  return out;
}

/** Amplitude's time text: `2026-11-20 14:03:27.518243` (export) or `.795` (streaming docs), UTC. */
const AMPLITUDE_TIME = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?$/;
/** A printed time: ISO 8601 or the same with a space, a zone or none (then UTC); or epoch ms / s digits. */
const PRINTED_TIME =
  /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d)(?::(\d\d)(?:[.,](\d{1,9}))?)?\s*(Z|UTC|GMT|[+-]\d\d:?\d\d)?$/;

/** Microseconds since the epoch, and the unit of the last digit printed (1 µs ... 60 s). */
interface Instant {
  us: number;
  unitUs: number;
}

function instant(parts: string[], zone: string | undefined): Instant {
  const [y, mo, d, h, mi, s = '0'] = parts.slice(0, 6).map((p) => p ?? '0');
  const fraction = parts[6] ?? '';
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  // Trailing zeros say nothing of precision: `.000` from a time parsed to the second is that second.
  const digits = fraction.slice(0, 6).replace(/0+$/, '');
  const fractionUs = digits ? Number(digits.padEnd(6, '0')) : 0;
  let offsetMin = 0;
  const z = zone && /^([+-])(\d\d):?(\d\d)$/.exec(zone);
  if (z) offsetMin = (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3]));
  const wholeUnit = parts[5] === undefined ? 60_000_000 : 1_000_000;
  const unitUs = digits ? 10 ** (6 - digits.length) : wholeUnit;
  return { us: (ms - offsetMin * 60_000) * 1000 + fractionUs, unitUs };
}

export function amplitudeTime(text: string): Instant | undefined {
  const m = AMPLITUDE_TIME.exec(text);
  return m ? instant(m.slice(1), undefined) : undefined;
}

export function printedTime(text: string): Instant | undefined {
  const t = text.trim();
  if (/^\d{13}$/.test(t)) return { us: Number(t) * 1000, unitUs: Number(t) % 1000 === 0 ? 1_000_000 : 1000 };
  if (/^\d{10}$/.test(t)) return { us: Number(t) * 1_000_000, unitUs: 1_000_000 };
  const m = PRINTED_TIME.exec(t);
  return m ? instant(m.slice(1, 8), m[8]) : undefined;
}

/** How far `printed` is from `source` beyond what printing fewer digits explains (0: the same instant). */
export function timeShiftUs(source: Instant, printed: Instant): number {
  const truncated = Math.floor(source.us / printed.unitUs) * printed.unitUs;
  const rounded = truncated + (source.us - truncated >= printed.unitUs / 2 ? printed.unitUs : 0);
  if (printed.us === truncated || printed.us === rounded) return 0;
  return printed.us - source.us;
}

/** "8 min 38 s later", "3 h earlier": a shift in words. */
export function shiftWords(us: number): string {
  const abs = Math.abs(us);
  const s = abs / 1e6;
  const trim = (n: number, digits: number) => n.toFixed(digits).replace(/\.?0+$/, '');
  let words = `${trim(s / 3600, 1)} h`;
  if (s < 1) words = `${trim(abs / 1000, 3)} ms`;
  else if (s < 60) words = `${trim(s, 3)} s`;
  else if (s < 3600) words = `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  return `${words} ${us > 0 ? 'later' : 'earlier'}`;
}
