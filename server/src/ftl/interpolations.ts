/**
 * The `${...}` of a body template and the JSON around them: which ones land inside a JSON string of the
 * output, and the number format the template sets. Enough of FreeMarker's syntax to read templates as
 * partners write them (comments, directives with strings and lambdas, nested braces); not a parser.
 */

export interface Interpolation {
  /** The whole `${...}`. */
  start: number;
  end: number;
  /** The expression between `${` and `}`. */
  expression: string;
  expressionStart: number;
  /** The output text before it opened a JSON string that is not closed yet. */
  inJsonString: boolean;
}

export interface TemplateScan {
  interpolations: Interpolation[];
  /** `<#setting number_format="...">`, the last one before each interpolation is not tracked: the template's. */
  numberFormat?: string;
}

/** The end of a quoted string starting at `at` (its closing quote's index + 1). */
function skipString(text: string, at: number): number {
  const quote = text[at];
  let i = at + 1;
  while (i < text.length && text[i] !== quote) i += text[i] === '\\' ? 2 : 1;
  return Math.min(i + 1, text.length);
}

/** The index after the `}` that closes the `${` at `at`, counting nested braces and skipping strings. */
function interpolationEnd(text: string, at: number): number {
  let depth = 0;
  for (let i = at + 2; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") i = skipString(text, i) - 1;
    else if (c === '{') depth++;
    else if (c === '}') {
      if (depth === 0) return i + 1;
      depth--;
    }
  }
  return text.length;
}

/** The index after the `>` that closes a directive tag at `at` (a `->` lambda arrow is not its end). */
function tagEnd(text: string, at: number): number {
  for (let i = at + 2; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") i = skipString(text, i) - 1;
    else if (c === '>' && text[i - 1] !== '-') return i + 1;
  }
  return text.length;
}

const SETTING = /^<#setting\s+number_format\s*=\s*(["'])(.*?)\1/;

export function scanTemplate(text: string): TemplateScan {
  const interpolations: Interpolation[] = [];
  let numberFormat: string | undefined;
  let inJsonString = false;
  for (let i = 0; i < text.length; i++) {
    if (text.startsWith('<#--', i)) {
      const close = text.indexOf('-->', i + 4);
      i = (close < 0 ? text.length : close + 3) - 1;
    } else if (/^<\/?[#@]/.test(text.slice(i, i + 3))) {
      const end = tagEnd(text, i);
      const setting = SETTING.exec(text.slice(i, end));
      if (setting) numberFormat = setting[2];
      i = end - 1;
    } else if (text.startsWith('${', i)) {
      const end = interpolationEnd(text, i);
      const expressionEnd = text[end - 1] === '}' ? end - 1 : end;
      interpolations.push({
        start: i,
        end,
        expression: text.slice(i + 2, expressionEnd),
        expressionStart: i + 2,
        inJsonString,
      });
      i = end - 1;
    } else if (inJsonString && text[i] === '\\') {
      i++;
    } else if (text[i] === '"') {
      inJsonString = !inJsonString;
    }
  }
  return { interpolations, numberFormat };
}

/** The built-in an expression ends with (`?json_string`, `?c`), if any. */
export function lastBuiltIn(expression: string): string | undefined {
  return /\?([a-z_]+)(?:\([^()]*\))?\s*$/.exec(expression)?.[1];
}

/** A number format that prints plain digits (no grouping separator): JSON numbers stay numbers. */
export function isJsonSafeNumberFormat(format: string | undefined): boolean {
  if (format === undefined) return false;
  if (format === 'c' || format === 'computer') return true;
  return /^[0#.]+$/.test(format) && !format.includes(',');
}
