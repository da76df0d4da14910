import type { Span } from '../base/text';

export interface DataModelReference extends Span {
  root: 'input' | 'parameters' | 'mappedFields';
  name: string;
  /** Followed by `!`, `??` or `?has_content`, or tested that way elsewhere (an enclosing `<#if x??>`). */
  guarded: boolean;
}

const REFERENCE = /\b(input|parameters|mappedFields)(?:\.([A-Za-z_$][\w$]*)|\[\s*"([^"]+)"\s*\])/g;

function lastTagEnd(text: string, before: number): number {
  for (let i = text.lastIndexOf('>', before); i >= 0; i = text.lastIndexOf('>', i - 1)) {
    if (text[i - 1] !== '-') return i; // `->` is a lambda arrow, not the end of a tag
  }
  return -1;
}

/** Inside a `<#-- ... -->` comment (an unclosed one runs to the end): text the engine never reads. */
function insideComment(text: string, offset: number): boolean {
  const open = text.lastIndexOf('<#--', offset);
  if (open < 0) return false;
  const close = text.indexOf('-->', open + 4);
  return close < 0 || offset < close + 3;
}

/** True inside `${...}` or a `<#...>` / `<@...>` tag: the JSON around them is literal text, and so are comments. */
export function insideFreemarker(text: string, offset: number): boolean {
  if (insideComment(text, offset)) return false;
  if (text.lastIndexOf('${', offset) > text.lastIndexOf('}', offset)) return true;
  const openTag = Math.max(text.lastIndexOf('<#', offset), text.lastIndexOf('<@', offset));
  // After a closed comment: literal text again (its `-->` would read as a lambda's arrow below).
  if (openTag < 0 || text.startsWith('<#--', openTag)) return false;
  return lastTagEnd(text, offset) < openTag;
}

/** `input.x`, `parameters.x`, `mappedFields.x` (and `["x"]`) in FreeMarker code. */
export function findReferences(text: string): DataModelReference[] {
  const out: DataModelReference[] = [];
  REFERENCE.lastIndex = 0;
  for (let m = REFERENCE.exec(text); m; m = REFERENCE.exec(text)) {
    if (!insideFreemarker(text, m.index)) continue;
    const name = m[2] ?? m[3];
    const nameStart = m.index + m[0].lastIndexOf(name);
    const end = m.index + m[0].length;
    const rest = text.slice(end, end + 80).replace(/^(?:\.[\w$]+|\[[^\]]*\])*/, '');
    const parenthesised = text[m.index - 1] === '(' && /^[^()]*\)\s*(?:!|\?\?)/.test(text.slice(end, end + 80));
    const escaped = name.replace(/\$/g, '\\$');
    const member = `(?:\\.${escaped}|\\[\\s*"${escaped}"\\s*\\])`;
    const testedElsewhere = new RegExp(`\\b${m[1]}${member}\\s*(?:\\?\\?|\\?has_content)`).test(text);
    const guarded = /^\s*(?:!|\?\?|\?has_content)/.test(rest) || parenthesised || testedElsewhere;
    out.push({
      root: m[1] as DataModelReference['root'],
      name,
      start: nameStart,
      end: nameStart + name.length,
      guarded,
    });
  }
  return out;
}
