import { parseListIdPath } from '../../manifest/listIdPath';
import { isObject } from '../../base/value';

/** The list id as the response holds it: a number stays a number when it is sent on. */
export type ListId = string | number;

export type ListIdResult = { ok: true; listId: ListId } | { ok: false; problem: string };

function step(current: unknown, segment: string | number): unknown {
  if (typeof segment === 'number') {
    if (Array.isArray(current)) return current[segment];
    return isObject(current) && Object.hasOwn(current, String(segment)) ? current[String(segment)] : undefined;
  }
  return isObject(current) && Object.hasOwn(current, segment) ? current[segment] : undefined;
}

function describeMiss(current: unknown, segments: (string | number)[], at: number, path: string): string {
  const where = at === 0 ? 'the response' : `"${segments.slice(0, at).join('.')}"`;
  const keys = isObject(current) ? Object.keys(current) : [];
  let hint = '';
  if (keys.length) hint = ` (its keys: ${keys.map((k) => `"${k}"`).join(', ')})`;
  else if (Array.isArray(current)) hint = ` (it is an array of ${current.length})`;
  return (
    `No list id at "${path}": ${where} has no "${segments[at]}"${hint}. ` +
    'Set listIdPath in the manifest to where your response keeps the id.'
  );
}

/** Reads the new list's id from the list creation response with the manifest's path (default `listId`). */
export function readListId(body: string, path = 'listId'): ListIdResult {
  const parsed = parseListIdPath(path);
  if ('problem' in parsed) return { ok: false, problem: `listIdPath "${path}" cannot be read: ${parsed.problem}.` };
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { ok: false, problem: `The response is not JSON, so "${path}" cannot be read from it.` };
  }
  let current: unknown = value;
  for (let i = 0; i < parsed.segments.length; i++) {
    const next = step(current, parsed.segments[i]);
    if (next === undefined || next === null)
      return { ok: false, problem: describeMiss(current, parsed.segments, i, path) };
    current = next;
  }
  if (typeof current === 'string' || typeof current === 'number') return { ok: true, listId: current };
  const what = Array.isArray(current)
    ? 'an array'
    : `a ${typeof current === 'object' ? 'JSON object' : typeof current}`;
  return { ok: false, problem: `"${path}" holds ${what}, not a string or number id.` };
}
