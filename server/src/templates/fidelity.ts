import type { ManifestDiagnostic } from '../base/diagnostic';
import { insideFreemarker } from '../ftl/references';

/** One of `alternatives`, as a regular expression. */
function anyOf(alternatives: string[], prefix: string, flags?: string): RegExp {
  return new RegExp(`${prefix}(?:${alternatives.join('|')})`, flags);
}

/**
 * Templates checked against what Amplitude actually forwards ("Create an Event Streaming Integration",
 * https://amplitude.com/docs/partners/create-an-event-streaming-integration, Limitations): "all custom
 * properties forwarded by the user are currently sent as strings" (here, `mappedProperties` values arrive as
 * JSON strings, quotes included) and "you can't currently [forward] arrays or object type properties".
 */
const PROPERTY_VALUE = anyOf(
  [
    String.raw`\bmappedProperties(?:\[[^\]]+\]|\.[A-Za-z_$][\w$]*)`,
    String.raw`\binput\.(?:event|user)_properties(?:\[\s*"[^"]+"\s*\]|\.[A-Za-z_$][\w$]*)`,
  ],
  '',
  'g',
);

const NUMBER_USE = anyOf(
  [
    String.raw`\?(?:number|c|round|floor|ceiling|abs|is_number)\b`,
    String.raw`\?string\s*\(\s*"[0#.,]+"`,
    String.raw`\s*[-*/%]\s*[\w(]`,
    String.raw`\s*\+\s*\d`,
    String.raw`\s*(?:>=?|<=?|gte?|lte?)\s*\d`,
  ],
  String.raw`^\s*`,
);
const STRUCTURE_USE = anyOf(
  [
    String.raw`\?(?:size|first|last|keys|values|join|seq_contains|seq_index_of|is_sequence|is_hash)\b`,
    String.raw`\[\s*\d+\s*\]`,
    String.raw`\.[A-Za-z_$][\w$]*`,
  ],
  String.raw`^\s*`,
);

function listedAt(text: string, start: number): boolean {
  return /[<[]#list\s+$/.test(text.slice(Math.max(0, start - 20), start));
}

function structureProblem(value: string, start: number, end: number, use: string): ManifestDiagnostic {
  return {
    start,
    end,
    code: 'unforwarded-structure',
    severity: 'warning',
    message:
      `${value}${use} expects an array or object, and Amplitude does not forward array or object properties ` +
      '(only single values): this reads nothing in production.',
  };
}

/** What a forwarded property's use gets wrong, said of the property's name. */
const STRING_MISUSE = {
  arithmetic: (value: string) =>
    `${value} is a string: Amplitude sends every forwarded custom property as a string, and here it is ` +
    'already JSON-quoted ("\\"19.99\\""), so number built-ins, arithmetic and comparisons fail on it, and ' +
    '`+` joins it as text ("19.99"1). Print it as it is, or compare it as text.',
  unquoted: (value: string) =>
    `${value} holds a JSON string, its quotes included ("\\"premium\\""), so a text without them never ` +
    'matches it. Compare with the quotes, as in == "\\"premium\\"".',
};

function stringProblem(misuse: keyof typeof STRING_MISUSE, value: string, start: number): ManifestDiagnostic {
  const message = STRING_MISUSE[misuse](value);
  return { start, end: start + value.length, code: 'string-property-arithmetic', severity: 'warning', message };
}

/**
 * `== "premium"`: a non-empty literal without the JSON quotes each forwarded value carries, so it never
 * matches (an empty value stays empty, so `!= ""` is right).
 */
const UNQUOTED_EQUALITY = /^\s*(?:==|!=|=(?!=))\s*("(?!\\"|")|'(?!"|'))/;

export function fidelityChecks(text: string): ManifestDiagnostic[] {
  const out: ManifestDiagnostic[] = [];
  PROPERTY_VALUE.lastIndex = 0;
  for (let m = PROPERTY_VALUE.exec(text); m; m = PROPERTY_VALUE.exec(text)) {
    if (!insideFreemarker(text, m.index)) continue;
    const end = m.index + m[0].length;
    const after = text.slice(end, end + 40);
    const structure = STRUCTURE_USE.exec(after)?.[0].trim() ?? (listedAt(text, m.index) ? ' in <#list>' : undefined);
    if (structure !== undefined) out.push(structureProblem(m[0], m.index, end, structure));
    else if (!m[0].startsWith('mappedProperties')) continue;
    else if (NUMBER_USE.test(after)) out.push(stringProblem('arithmetic', m[0], m.index));
    else if (UNQUOTED_EQUALITY.test(after)) out.push(stringProblem('unquoted', m[0], m.index));
  }
  return out;
}
