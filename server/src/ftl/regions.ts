/**
 * Where FreeMarker code is in a template, in either tag syntax (`<#if>` or `[#if]`): comments and `#noparse`
 * are text the engine never reads as code, and `#attempt` is where a failed read is recovered.
 */

export interface Region {
  start: number;
  end: number;
}

/** The end of a quoted string starting at `at` (its closing quote's index + 1). */
export function skipQuoted(text: string, at: number): number {
  const quote = text[at];
  let i = at + 1;
  while (i < text.length && text[i] !== quote) i += text[i] === '\\' ? 2 : 1;
  return Math.min(i + 1, text.length);
}

/** The regions from each `open` tag to the next `close` tag (an unclosed one runs to the end), in its syntax. */
function between(text: string, open: string, close: string): Region[] {
  const out: Region[] = [];
  const bracket = squareSyntax(text) ? '[' : '<';
  const [o, c] = [`${bracket}#${open}`, `${bracket}${close}`];
  for (let at = text.indexOf(o); at >= 0; at = text.indexOf(o, at + 1)) {
    const after = text[at + o.length];
    if (after !== undefined && /[\w-]/.test(after)) continue; // `<#attempts`, `<#noparse_x`: other names
    const end = text.indexOf(c, at + o.length);
    out.push({ start: at, end: end < 0 ? text.length : end });
    if (end < 0) break;
    at = end;
  }
  return out;
}

const inAny = (regions: Region[], offset: number) => regions.some((r) => offset >= r.start && offset < r.end);

/** `<#noparse>...</#noparse>` (and `[#noparse]`): printed as it is, never code. */
export function noparseRegions(text: string): Region[] {
  // Asked once per reference of the same text: the last answer is kept.
  if (lastNoparse?.text !== text) lastNoparse = { text, regions: between(text, 'noparse', '/#noparse') };
  return lastNoparse.regions;
}
let lastNoparse: { text: string; regions: Region[] } | undefined;

/** `<#attempt>...<#recover>`: a missing value read here fails only the attempt, which prints its recovery. */
export function attemptRegions(text: string): Region[] {
  return between(text, 'attempt', '#recover');
}

export function insideRegions(regions: Region[], offset: number): boolean {
  return inAny(regions, offset);
}

/** The index after the `]` that closes a square-bracket tag at `at`, counting brackets and skipping strings. */
export function squareTagEnd(text: string, at: number): number {
  let depth = 0;
  for (let i = at + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") i = skipQuoted(text, i) - 1;
    else if (c === '[') depth++;
    else if (c === ']') {
      if (depth === 0) return i + 1;
      depth--;
    }
  }
  return text.length;
}

/** A template that starts with `[#ftl]`: its tags are `[#...]` (angle-bracket ones are text), by FreeMarker's rule. */
export function squareSyntax(text: string): boolean {
  return /^\uFEFF?\s*\[#ftl\b/.test(text);
}

/** Inside a `[#...]` or `[@...]` tag of a square-bracket syntax template: FreeMarker code. */
export function insideSquareTag(text: string, offset: number): boolean {
  if (!squareSyntax(text)) return false;
  const open = Math.max(
    text.lastIndexOf('[#', offset),
    text.lastIndexOf('[@', offset),
    text.lastIndexOf('[/#', offset),
  );
  if (open < 0 || text.startsWith('[#--', open)) return false;
  return offset < squareTagEnd(text, open);
}
