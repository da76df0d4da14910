/**
 * The `${...}` of a body template and the JSON around them: which ones land inside a JSON string of the
 * output, and the number format the template sets. Enough of FreeMarker's syntax to read templates as
 * partners write them (comments, directives with strings and lambdas, nested braces); not a parser.
 */
import { noparseRegions, skipQuoted, squareSyntax, squareTagEnd } from './regions';

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

const skipString = skipQuoted;

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

const SETTING = /^[<[]#setting\s+number_format\s*=\s*(["'])(.*?)\1/;

/** The tag syntax's comment opening and closing, and its tags' opening character. */
function syntaxOf(text: string) {
  return squareSyntax(text)
    ? { comment: '[#--', commentEnd: '--]', tag: /^\[\/?[#@]/, end: squareTagEnd }
    : { comment: '<#--', commentEnd: '-->', tag: /^<\/?[#@]/, end: tagEnd };
}

export function scanTemplate(text: string): TemplateScan {
  const interpolations: Interpolation[] = [];
  let numberFormat: string | undefined;
  let inJsonString = false;
  const syntax = syntaxOf(text);
  const noparse = noparseRegions(text);
  for (let i = 0; i < text.length; i++) {
    const verbatim = noparse.find((r) => r.start === i);
    if (verbatim) {
      // Printed as it is: its quotes open and close JSON strings, its `${` is text.
      const openEnd = syntax.end(text, i);
      for (let j = openEnd; j < verbatim.end; j++) {
        if (inJsonString && text[j] === '\\') j++;
        else if (text[j] === '"') inJsonString = !inJsonString;
      }
      i = syntax.end(text, verbatim.end) - 1;
    } else if (text.startsWith(syntax.comment, i)) {
      const close = text.indexOf(syntax.commentEnd, i + 4);
      i = (close < 0 ? text.length : close + 3) - 1;
    } else if (syntax.tag.test(text.slice(i, i + 3))) {
      const end = syntax.end(text, i);
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
  // "c" is 2.3.32's name: 2.3.31 reads it as a pattern and prints c1763647400000 (ftl/builtinVersions.ts).
  if (format === 'computer') return true;
  return /^[0#.]+$/.test(format) && !format.includes(',');
}
