/**
 * What an interpolation prints, read from its expression only where that is certain: whether the value comes
 * straight from the data model, and whether the built-ins it ends with can only print text that is safe inside a
 * JSON string (no quote, backslash or control character). Where it cannot tell, it says so (undefined).
 */
import { skipQuoted } from './regions';

export interface BuiltInCall {
  /** `json_string`, `string.computer`. */
  name: string;
  /** The argument texts, as written. */
  args: string[];
}

/** Splits `text` at top-level occurrences of `separator` (outside strings and brackets). */
function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") i = skipQuoted(text, i) - 1;
    else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (depth === 0 && text.startsWith(separator, i)) {
      parts.push(text.slice(from, i));
      from = i + separator.length;
    }
  }
  parts.push(text.slice(from));
  return parts;
}

/** The built-ins applied last at the top level, in order: `(x!"")?keep_before(".")?iso_utc` gives two. */
export function trailingBuiltIns(expression: string): { base: string; calls: BuiltInCall[] } {
  const parts = splitTopLevel(expression.trim(), '?').filter((p, i, all) => i === 0 || p !== '' || all[i - 1] !== '');
  const calls: BuiltInCall[] = [];
  while (parts.length > 1) {
    const last = parts[parts.length - 1];
    const call = /^\s*([a-z_]+(?:\.[a-z_]+)?)\s*(?:\(([\s\S]*)\))?\s*$/.exec(last);
    if (!call) break;
    calls.unshift({
      name: call[1],
      args: call[2] === undefined ? [] : splitTopLevel(call[2], ',').map((a) => a.trim()),
    });
    parts.pop();
  }
  return { base: parts.join('?').trim(), calls };
}

/** A string, number or boolean literal that prints without a quote, backslash or control character. */
function safeLiteral(arg: string): boolean {
  const string = /^(?:"([^"\\]*)"|'([^'\\]*)'|r"([^"]*)"|r'([^']*)')$/.exec(arg);
  if (string)
    return [...(string.slice(1).find((s) => s !== undefined) ?? '')].every((c) => c >= ' ' && !'"\\'.includes(c));
  return /^(?:-?\d+(?:\.\d+)?|true|false)$/.test(arg);
}

/** Built-ins whose output holds only digits, letters, `-+.:TZ` and the like, or text escaped for JSON. */
const SAFE_OUTPUT = new Set([
  'json_string',
  'j_string',
  'c',
  'cn',
  'url',
  'url_path',
  'size',
  'length',
  'long',
  'int',
  'round',
  'floor',
  'ceiling',
  'abs',
  'number',
  'string.computer',
  'string.iso',
  'upper_abc',
  'lower_abc',
]);

/** What `?then(a, b)` prints (either) and `?switch(case, result, ..., default)` (every result, and the default). */
function literalResults(call: BuiltInCall): string[] | undefined {
  if (call.name === 'then') return call.args;
  if (call.name !== 'switch') return undefined;
  const results = call.args.filter((_, i) => i % 2 === 1);
  if (call.args.length % 2 === 1) results.push(call.args[call.args.length - 1]);
  return results;
}

function safeCall(call: BuiltInCall): boolean {
  if (SAFE_OUTPUT.has(call.name) || /^iso(?:_[a-z_]+)?$/.test(call.name)) return true;
  // `?string("0")`, `?string("yes", "no")`: a number format, or one of two literal texts.
  if (call.name === 'string' && call.args.length > 0) return call.args.every(safeLiteral);
  const results = literalResults(call);
  return results !== undefined && results.length > 0 && results.every(safeLiteral);
}

/** The times Amplitude writes as `yyyy-MM-dd HH:mm:ss.SSSSSS` (export API): digits, `-`, `:`, `.` and a space. */
const AMPLITUDE_TIMES = new Set([
  'event_time',
  'client_event_time',
  'server_upload_time',
  'client_upload_time',
  'server_received_time',
  'processed_time',
]);

/** Built-ins that keep an Amplitude time free of quotes when their literal arguments are. */
const TIME_TEXT_OPS = new Set([
  'keep_before',
  'keep_after',
  'keep_before_last',
  'keep_after_last',
  'replace',
  'substring',
  'trim',
  'remove_beginning',
  'remove_ending',
  'ensure_ends_with',
  'datetime',
  'date',
  'time',
]);

function safeTimeText(base: string, calls: BuiltInCall[]): boolean {
  const field = /^\(?\s*input\.([a-z_]+)\s*(?:!\s*(?:"[^"\\]*")?)?\s*\)?$/.exec(base);
  if (!field || !AMPLITUDE_TIMES.has(field[1])) return false;
  return calls.every((c) => TIME_TEXT_OPS.has(c.name) && c.args.every(safeLiteral));
}

function operandIsSafe(operand: string): boolean {
  const { base, calls } = trailingBuiltIns(operand);
  const last = calls[calls.length - 1];
  if (last && safeCall(last)) return true;
  return safeTimeText(base, calls);
}

/** True when the printed text provably holds no quote, backslash or control character (each joined part too). */
export function printsJsonSafeText(expression: string): boolean {
  const operands = splitTopLevel(expression, '+').map((o) => o.trim());
  return operands.every((o) => safeLiteral(o) || operandIsSafe(o));
}

/**
 * True when the value printed comes straight from the data model (`input.x`, `parameters.x`, maybe defaulted or
 * joined): not a variable the template made (`#assign`, `#local`, a `#list` loop, a hash literal's key), nor a
 * function's or macro's result, which may have escaped it already.
 */
export function readsDataModelDirectly(expression: string): boolean {
  const code = expression.replace(/r?"(?:[^"\\]|\\.)*"|r?'(?:[^'\\]|\\.)*'/g, '""');
  if (/(?:^|[^?\w$.\s])\s*[A-Za-z_$][\w$]*\s*\(/.test(code) || /^\s*[A-Za-z_$][\w$]*\s*\(/.test(code)) return false;
  const names = code.match(/(?<![?\w$.])[A-Za-z_$][\w$]*(?=\s*(?:[.[!?)+,}]|$))/g) ?? [];
  const roots = names.filter((n) => !['true', 'false', 'gt', 'lt', 'gte', 'lte'].includes(n));
  return roots.length > 0 && roots.every((n) => n === 'input' || n === 'parameters' || n === 'mappedFields');
}
