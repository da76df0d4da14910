import { emptyRecord } from '../base/records';

/**
 * Which of the event's top-level properties a body template can read. A render then sends the engine only
 * those: a replay's events carry a kilobyte or more that the template never looks at, and each byte is
 * written, parsed and wrapped once per event. The reading is conservative: anything it cannot follow
 * means "every property", never a smaller set.
 */

/**
 * `input` as a name of its own (FreeMarker names: letters of any script, digits, `_`, `$`, `@`), wherever
 * it stands: code, text or comment (counting more is only safer).
 */
const INPUT = /(?<![\p{L}\p{N}_$@\\])input(?![\p{L}\p{N}_$@])/gu;

/** `.name` after `input`; a name with `\-`, `\.` or `\:` escapes is not followed. */
const MEMBER = /^\s*\.\s*([\p{L}_$@][\p{L}\p{N}_$@]*)(?![\p{L}\p{N}_$@\\])/u;

/** `["name"]` or `['name']` after `input`, a plain literal: no escapes, no `${...}` or `#{...}`. */
const SUBSCRIPT = /^\s*\[\s*(?:"((?:[^"\\$#]|[$#](?!\{))*)"|'((?:[^'\\$#]|[$#](?!\{))*)')\s*\]/u;

/**
 * Ways of reaching the data model by a computed name: `?eval`, `?interpret`, the special variables that
 * list variables (`.vars`, `.data_model`, `.globals`, `.main`...), includes and imports, node visits.
 */
const RUNTIME_NAMING = [
  ...['vars', 'data_model', 'globals', 'main', 'namespace', 'locals', 'get_optional_template'],
  ...['eval', 'eval_json', 'interpret', 'api', 'include', 'import', 'visit', 'recurse'],
];
const BY_NAME = new RegExp(String.raw`[.?#]\s*(?:${RUNTIME_NAMING.join('|')})(?![\p{L}\p{N}_$@])`, 'u');

/** A `.` right before `input` makes it a member of something else (`x.input`), except the range `..`. */
function isMemberOfOther(text: string, at: number): boolean {
  let i = at - 1;
  while (i >= 0 && /\s/.test(text[i])) i--;
  return text[i] === '.' && text[i - 1] !== '.';
}

/**
 * The top-level keys of `input` the template can read, or undefined when it may read any: `input` used
 * whole (`input?keys`, `<#assign e = input>`, a macro argument), a subscript that is computed, or a way
 * of naming variables at run time.
 */
export function inputKeysRead(template: string): ReadonlySet<string> | undefined {
  if (BY_NAME.test(template)) return undefined;
  const keys = new Set<string>();
  for (const match of template.matchAll(INPUT)) {
    const at = match.index;
    if (isMemberOfOther(template, at)) continue;
    const rest = template.slice(at + match[0].length, at + match[0].length + 400);
    const member = MEMBER.exec(rest);
    const subscript = member ? undefined : SUBSCRIPT.exec(rest);
    const key = member?.[1] ?? subscript?.[1] ?? subscript?.[2];
    if (key === undefined) return undefined;
    keys.add(key);
  }
  return keys;
}

/** The event with only the keys a template reads (all of it when `keys` is undefined). */
export function eventForKeys(
  event: Record<string, unknown>,
  keys: ReadonlySet<string> | undefined,
): Record<string, unknown> {
  if (keys === undefined) return event;
  const kept = emptyRecord<unknown>();
  for (const key of keys) if (Object.hasOwn(event, key)) kept[key] = event[key];
  return kept;
}
