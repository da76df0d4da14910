import { isObject } from '../manifest/value';

export type ListIdResult = { ok: true; listId: string } | { ok: false; problem: string };

/** Reads the new list's id from the list creation response with the manifest's dot path (default `listId`). */
export function readListId(body: string, path = 'listId'): ListIdResult {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { ok: false, problem: `The response is not JSON, so "${path}" cannot be read from it.` };
  }
  const segments = path.split('.').filter(Boolean);
  let current: unknown = value;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    const next = isObject(current)
      ? current[segment]
      : Array.isArray(current) && /^\d+$/.test(segment)
        ? current[Number(segment)]
        : undefined;
    if (next === undefined || next === null) {
      const where = i === 0 ? 'the response' : `"${segments.slice(0, i).join('.')}"`;
      const keys = isObject(current) ? Object.keys(current) : [];
      return {
        ok: false,
        problem: `No list id at "${path}": ${where} has no "${segment}"${keys.length ? ` (its keys: ${keys.map((k) => `"${k}"`).join(', ')})` : Array.isArray(current) ? ' (it is an array)' : ''}. Set listIdPath in the manifest to where your response keeps the id.`,
      };
    }
    current = next;
  }
  if (typeof current === 'string' || typeof current === 'number') return { ok: true, listId: String(current) };
  return {
    ok: false,
    problem: `"${path}" holds ${Array.isArray(current) ? 'an array' : 'an object'}, not a string or number id.`,
  };
}
