import type { ManifestDiagnostic } from '../base/diagnostic';
import { isJsonSafeNumberFormat, lastBuiltIn, scanTemplate, type Interpolation } from '../ftl/interpolations';
import { printsJsonSafeText, readsDataModelDirectly } from '../ftl/printedText';

/** Built-ins whose output is a number (printed with the number format unless ?c follows). */
const NUMBER_BUILTINS = new Set(['long', 'int', 'round', 'floor', 'ceiling', 'abs', 'size', 'length', 'number']);

/** Event fields that hold numbers (export API). */
const NUMERIC_INPUT = new Set([
  'session_id',
  'event_id',
  'amplitude_id',
  'app',
  'revenue',
  'price',
  'quantity',
  'location_lat',
  'location_lng',
]);

/** `(expr)?json_string`, or `expr?json_string` where the expression is a plain name chain. */
function appended(expression: string, builtIn: string): string {
  const trimmed = expression.trim();
  return /^[\w.$[\]"?()]+$/.test(trimmed) && !trimmed.includes('!')
    ? `${trimmed}?${builtIn}`
    : `(${trimmed})?${builtIn}`;
}

function replaceExpression(item: Interpolation, content: string) {
  return () => [{ offset: item.expressionStart, length: item.expression.length, content }];
}

function unescapedString(item: Interpolation): ManifestDiagnostic | undefined {
  if (!item.inJsonString) return undefined;
  const found = { start: item.start, end: item.end, code: 'unescaped-string', severity: 'warning' } as const;
  if (/^\s*mappedProperties\s*\[/.test(item.expression)) {
    return {
      ...found,
      message:
        'mappedProperties values are JSON string literals already (quotes included): inside quotes they print ' +
        'as ""value"". Print them without the surrounding quotes.',
    };
  }
  // A value the template made (#assign, #local, a function, a macro) may be escaped already: the engine tells.
  if (!readsDataModelDirectly(item.expression) || printsJsonSafeText(item.expression)) return undefined;
  return {
    ...found,
    message:
      'This interpolation is inside a JSON string but is not escaped: a value with a quote, a backslash or a ' +
      'newline (an event named Clicked "Buy now") makes the body invalid JSON. Add ?json_string.',
    // Both are candidates: the engine keeps ?c when the value is a number (?json_string would keep its grouping).
    fixes: [
      { title: 'Escape with ?json_string', edits: replaceExpression(item, appended(item.expression, 'json_string')) },
      { title: 'Print the number with ?c', edits: replaceExpression(item, appended(item.expression, 'c')) },
    ],
  };
}

/** True when the expression prints a number: a numeric event field, a number built-in, or arithmetic on numbers. */
function printsNumber(expression: string): boolean {
  const builtIn = lastBuiltIn(expression);
  if (builtIn !== undefined) return NUMBER_BUILTINS.has(builtIn);
  const field = /^\s*\(?\s*input\.([A-Za-z_]\w*)\s*\)?\s*(?:!\s*0)?\s*$/.exec(expression);
  if (field) return NUMERIC_INPUT.has(field[1]);
  return /^[\w.\s()]+[*/%-][\w.\s()]+$/.test(expression) && /\binput\.(\w+)/.test(expression);
}

function unformattedNumber(item: Interpolation, numberFormat: string | undefined): ManifestDiagnostic | undefined {
  if (isJsonSafeNumberFormat(numberFormat) || !printsNumber(item.expression)) return undefined;
  return {
    start: item.start,
    end: item.end,
    code: 'unformatted-number',
    severity: 'warning',
    message:
      `FreeMarker prints numbers for people by default: 1763647400000 becomes 1,763,647,400,000, wrong inside a ` +
      'string and invalid JSON outside one. Add ?c, or set <#setting number_format="computer"> at the top.',
    fixes: [{ title: 'Print it with ?c', edits: replaceExpression(item, appended(item.expression, 'c')) }],
  };
}

/**
 * Interpolations that break the JSON body for some events: text inside a JSON string that is not escaped
 * (unescaped-string), and numbers printed with grouping (unformatted-number).
 */
export function jsonOutputChecks(text: string): ManifestDiagnostic[] {
  const { interpolations, numberFormat } = scanTemplate(text);
  const out: ManifestDiagnostic[] = [];
  for (const item of interpolations) {
    const found = unformattedNumber(item, numberFormat) ?? unescapedString(item);
    if (found) out.push(found);
  }
  return out;
}
