import { applyEdits, parse } from 'jsonc-parser';
import { setAt } from '../base/jsonEdits';
import { isObject, type JsonObject } from '../base/value';
import type { OperationImport } from './importOperation';

/**
 * An imported endpoint merged into the manifest's text, comments and layout kept: the endpoint (or the
 * streaming request) is set whole; the authentication only when the manifest has none; headers only those
 * it lacks; `apiDescription` when it names none; the endpoint's error table stays. What it kept rather
 * than overwrote is said in a note.
 */
/** What a person wrote about an endpoint that the description cannot say: its error table. */
const KEPT = ['errors', 'copyErrorsFrom'];

export function importInto(
  text: string,
  imported: OperationImport,
  descriptionReference: string,
): { text: string; notes: string[] } {
  const notes: string[] = [];
  let out = text;
  const current = (): JsonObject => {
    const value: unknown = parse(out, [], { allowTrailingComma: true });
    return isObject(value) ? value : {};
  };
  const set = (path: (string | number)[], value: unknown) => (out = applyEdits(out, setAt(out, path, value)));
  if (typeof current().apiDescription !== 'string') set(['apiDescription'], descriptionReference);
  const { fragment } = imported;
  for (const key of ['request', 'identify'] as const) if (fragment[key] !== undefined) set([key], fragment[key]);
  if (isObject(fragment.endpoints))
    for (const [role, endpoint] of Object.entries(fragment.endpoints)) {
      const own = current().endpoints;
      const old = isObject(own) && isObject(own[role]) ? own[role] : {};
      const kept = Object.fromEntries(KEPT.flatMap((k) => (old[k] === undefined ? [] : [[k, old[k]]])));
      set(['endpoints', role], { ...(isObject(endpoint) ? endpoint : {}), ...kept });
      if (Object.keys(kept).length > 0) notes.push(`Kept ${role}'s ${Object.keys(kept).join(' and ')}.`);
    }
  const auth = fragment.authentication;
  if (isObject(auth)) {
    const own = current().authentication;
    if (!isObject(own)) set(['authentication'], auth);
    else if (own.method !== auth.method)
      notes.push(
        `Kept the manifest's authentication (${String(own.method)}); the operation's security scheme asks ` +
          `for "${String(auth.method)}".`,
      );
  }
  if (isObject(fragment.headers)) mergeHeaders(current(), fragment.headers, set, notes);
  return { text: out, notes };
}

function mergeHeaders(
  manifest: JsonObject,
  headers: JsonObject,
  set: (path: string[], value: unknown) => void,
  notes: string[],
): void {
  const own = isObject(manifest.headers) ? manifest.headers : {};
  const ownKeys = new Map(Object.keys(own).map((k) => [k.toLowerCase(), k]));
  for (const [name, value] of Object.entries(headers)) {
    const existing = ownKeys.get(name.toLowerCase());
    if (existing === undefined) set(['headers', name], value);
    else if (own[existing] !== value)
      notes.push(`Kept the manifest's ${existing} header; the description suggests ${JSON.stringify(value)}.`);
  }
}
