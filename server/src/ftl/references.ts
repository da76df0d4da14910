import type { Span } from '../base/text';
import { attemptRegions, insideRegions, insideSquareTag, noparseRegions, skipQuoted, squareSyntax } from './regions';

export interface DataModelReference extends Span {
  root: 'input' | 'parameters' | 'mappedFields';
  /** The first key (`user_id` of `input.user_id`); start and end are its span. */
  name: string;
  /** The whole read, root included: `input.event_properties["[Custom event property] color"]`. */
  path: string;
  /**
   * A missing value here cannot fail the render: defaulted (`!`, `?default(...)`), tested (`??`,
   * `?has_content`), directly or on parentheses around it, tested elsewhere on this path or a longer one, or
   * read inside `#attempt`.
   */
  guarded: boolean;
}

/** A root, then `.name` or `["key"]` members (a key may hold `]`: Braze's `["[Custom event property] color"]`). */
const REFERENCE =
  /(?<![\w$.])(input|parameters|mappedFields)((?:\s*\.\s*[A-Za-z_$][\w$]*|\s*\[\s*(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')\s*\])+)/g;
const MEMBER = /\.\s*([A-Za-z_$][\w$]*)|\[\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')\s*\]/g;
const DEFAULTED = /^\s*(?:!(?!=)|\?\s*default\s*\(|\?\s*if_exists\b)/;
const TESTED = /^\s*(?:\?\?|\?\s*(?:has_content|exists)\b)/;

function lastTagEnd(text: string, before: number): number {
  for (let i = text.lastIndexOf('>', before); i >= 0; i = text.lastIndexOf('>', i - 1)) {
    if (text[i - 1] !== '-') return i; // `->` is a lambda arrow, not the end of a tag
  }
  return -1;
}

/** Inside a `<#-- ... -->` (`[#-- ... --]`) comment (an unclosed one runs to the end): never read. */
export function insideComment(text: string, offset: number, square = squareSyntax(text)): boolean {
  const open = text.lastIndexOf(square ? '[#--' : '<#--', offset);
  if (open < 0) return false;
  const close = text.indexOf(square ? '--]' : '-->', open + 4);
  return close < 0 || offset < close + 3;
}

/** True inside `${...}` or a `<#...>` / `<@...>` tag: the JSON around them is literal text, and so are comments. */
export function insideFreemarker(text: string, offset: number): boolean {
  const square = squareSyntax(text);
  if (insideComment(text, offset, square) || insideRegions(noparseRegions(text), offset)) return false;
  if (text.lastIndexOf('${', offset) > text.lastIndexOf('}', offset)) return true;
  if (square) return insideSquareTag(text, offset);
  const openTag = Math.max(text.lastIndexOf('<#', offset), text.lastIndexOf('<@', offset));
  // After a closed comment: literal text again (its `-->` would read as a lambda's arrow below).
  if (openTag < 0 || text.startsWith('<#--', openTag)) return false;
  return lastTagEnd(text, offset) < openTag;
}

/** Where the FreeMarker code holding `offset` starts: its `${`, `<#`, `<@`, `[#` or `[@`. */
function codeStart(text: string, offset: number): number {
  // Within 2,000 characters: a search to the start for each reference would make a long template slow.
  const from = Math.max(0, offset - 2000);
  const window = text.slice(from, offset + 1);
  return from + Math.max(0, ...['${', '<#', '<@', '[#', '[@'].map((open) => window.lastIndexOf(open)));
}

/** The `(`s of groupings (not calls: `f(`, `?then(`) open at `start`, from the start of its code. */
function openGroupings(text: string, from: number, start: number): number[] {
  const open: number[] = [];
  for (let i = from; i < start; i++) {
    const c = text[i];
    if (c === '"' || c === "'") i = skipQuoted(text, i) - 1;
    else if (c === '(') open.push(/[\w$)\]]$/.test(text.slice(Math.max(from, i - 1), i)) ? -1 : i);
    else if (c === ')') open.pop();
  }
  return open;
}

/** The text after each grouping parenthesis around `[start, end)` closes, innermost first. */
function afterGroupings(text: string, start: number, end: number): string[] {
  const open = openGroupings(text, codeStart(text, start), start);
  const out: string[] = [];
  let depth = 0;
  for (let i = end; i < text.length && open.length > 0 && i < end + 2000; i++) {
    const c = text[i];
    if (c === '"' || c === "'") i = skipQuoted(text, i) - 1;
    else if (c === '(') depth++;
    else if (c === ')' && depth > 0) depth--;
    else if (c === ')' && open.pop() !== -1) out.push(text.slice(i + 1, i + 80));
  }
  return out;
}

type Guard = 'defaulted' | 'tested' | undefined;

function guardOf(text: string, start: number, end: number): Guard {
  for (const after of [text.slice(end, end + 80), ...afterGroupings(text, start, end)]) {
    if (TESTED.test(after)) return 'tested';
    if (DEFAULTED.test(after)) return 'defaulted';
  }
  return undefined;
}

function pathOf(root: string, members: string): { path: string; first: string; keys: string[] } {
  const keys: string[] = [];
  MEMBER.lastIndex = 0;
  for (let m = MEMBER.exec(members); m; m = MEMBER.exec(members)) keys.push(m[1] ?? m[2] ?? m[3]);
  return { path: `${root}${members.replace(/\s+(?=[.[])|(?<=[.[])\s+/g, '')}`, first: keys[0], keys };
}

interface Read extends DataModelReference {
  keys: string[];
  guard: Guard;
}

/** A read is covered by a test of the same path or a longer one (`input.a.b??` is true only when `a` is there). */
const covers = (test: Read, read: Read) => test.root === read.root && read.keys.every((key, i) => test.keys[i] === key);

/** `input.x`, `parameters.x`, `mappedFields.x` (and `["x"]`, `.a.b` paths) in FreeMarker code. */
export function findReferences(text: string): DataModelReference[] {
  const reads: Read[] = [];
  REFERENCE.lastIndex = 0;
  for (let m = REFERENCE.exec(text); m; m = REFERENCE.exec(text)) {
    if (!insideFreemarker(text, m.index)) continue;
    const { path, first, keys } = pathOf(m[1], m[2]);
    const nameStart = m.index + m[0].indexOf(first, m[1].length);
    const end = m.index + m[0].length;
    const root = m[1] as DataModelReference['root'];
    const guard = guardOf(text, m.index, end);
    reads.push({
      root,
      name: first,
      path,
      keys,
      start: nameStart,
      end: nameStart + first.length,
      guarded: false,
      guard,
    });
  }
  const attempts = attemptRegions(text);
  const tests = reads.filter((r) => r.guard === 'tested');
  return reads.map(({ keys, guard, ...read }) => ({
    ...read,
    guarded:
      guard !== undefined ||
      insideRegions(attempts, read.start) ||
      tests.some((test) => covers(test, { ...read, keys, guard })),
  }));
}
