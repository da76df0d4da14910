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

/** True inside `${...}` or a `<#...>` / `<@...>` tag: the JSON around them is literal text. */
export function insideFreemarker(text: string, offset: number): boolean {
  if (text.lastIndexOf('${', offset) > text.lastIndexOf('}', offset)) return true;
  const openTag = Math.max(text.lastIndexOf('<#', offset), text.lastIndexOf('<@', offset));
  return openTag >= 0 && lastTagEnd(text, offset) < openTag;
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
