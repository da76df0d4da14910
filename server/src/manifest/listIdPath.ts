/**
 * A "path to list ID in the response" split into keys and indexes: `audience.id`, `data[0].id` and
 * `data.0.id` alike, or why the path has no such form.
 */
export function parseListIdPath(path: string): { segments: (string | number)[] } | { problem: string } {
  if (path.trim() === '') return { problem: 'it is empty' };
  if (/^\$/.test(path)) return { problem: 'write it without a leading "$" or "$.": for example data.id' };
  const segments: (string | number)[] = [];
  const pattern = /([^.[\]]+)|\[(\d+)\]|(\.)/gy;
  let expectKey = true;
  for (let m = pattern.exec(path); m; m = pattern.exec(path)) {
    if (m[1] !== undefined) {
      if (!expectKey) return { problem: `"${m[1]}" must follow a dot` };
      segments.push(/^\d+$/.test(m[1]) ? Number(m[1]) : m[1]);
      expectKey = false;
    } else if (m[2] !== undefined) {
      if (expectKey && segments.length === 0) return { problem: 'it cannot start with an index' };
      segments.push(Number(m[2]));
      expectKey = false;
    } else {
      if (expectKey) return { problem: 'it has an empty key (two dots, or a dot at the start)' };
      expectKey = true;
    }
    if (pattern.lastIndex === path.length) break;
  }
  if (pattern.lastIndex !== path.length || expectKey) return { problem: 'it is not of the form key.key, key[0].key' };
  return { segments };
}
