import { isObject } from '../base/value';
import { dollarRole, predefinedVariable, scanVariablesIn } from '../manifest/variables';

/**
 * Reading a request back against the manifest that built it: where the payload template has `$items`,
 * `$list_id` or `$amp_cohort_membership`, what did the request carry there? The bundled mock uses this
 * to keep any partner's list and property shapes, and simulate to name each user the way the mock does.
 */

export interface Capture {
  /** The variable, canonical (`list_id` for `$listId`). */
  name: string;
  value: unknown;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A template string with variables as a pattern: each variable captures what stands in its place. */
export function stringPattern(
  template: string,
  declared: ReadonlySet<string>,
  inKey: boolean,
): { regex: RegExp; names: string[] } | undefined {
  const names: string[] = [];
  let source = '';
  let from = 0;
  scanVariablesIn(template, 0, template.length, (name, start) => {
    if (dollarRole(name, inKey, declared) === 'literal') return;
    source += `${escapeRegExp(template.slice(from, start))}(.*?)`;
    names.push(predefinedVariable(name)?.name ?? name);
    from = start + 1 + name.length;
  });
  if (names.length === 0) return undefined;
  return { regex: new RegExp(`^${source}${escapeRegExp(template.slice(from))}$`, 's'), names };
}

const WHOLE = /^\$([A-Za-z_][A-Za-z0-9_]*)$/;

function captureString(template: string, actual: unknown, declared: ReadonlySet<string>, into: Capture[]): void {
  const whole = WHOLE.exec(template);
  if (whole && dollarRole(whole[1], false, declared) === 'variable') {
    into.push({ name: predefinedVariable(whole[1])?.name ?? whole[1], value: actual });
    return;
  }
  const pattern = typeof actual === 'string' ? stringPattern(template, declared, false) : undefined;
  const m = pattern?.regex.exec(actual as string);
  if (pattern && m) pattern.names.forEach((name, i) => into.push({ name, value: m[i + 1] }));
}

function captureObject(
  template: Record<string, unknown>,
  actual: unknown,
  declared: ReadonlySet<string>,
  into: Capture[],
): void {
  if (!isObject(actual)) return;
  for (const key of Object.keys(template)) {
    const pattern = key.includes('$') ? stringPattern(key, declared, true) : undefined;
    if (!pattern) {
      if (Object.hasOwn(actual, key)) capture(template[key], actual[key], declared, into);
      continue;
    }
    for (const actualKey of Object.keys(actual)) {
      const m = pattern.regex.exec(actualKey);
      if (!m) continue;
      pattern.names.forEach((name, i) => into.push({ name, value: m[i + 1] }));
      capture(template[key], actual[actualKey], declared, into);
    }
  }
}

/** Walks `template` (a payload or item template, as the manifest holds it) and `actual` together. */
export function capture(
  template: unknown,
  actual: unknown,
  declared: ReadonlySet<string>,
  into: Capture[] = [],
): Capture[] {
  if (typeof template === 'string') captureString(template, actual, declared, into);
  else if (Array.isArray(template)) {
    if (Array.isArray(actual)) template.forEach((t, i) => capture(t, actual[i], declared, into));
  } else if (isObject(template)) captureObject(template, actual, declared, into);
  return into;
}

/** JSON with sorted keys: one text for one value, whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * How a user is named in the mock's state and in simulate's check: the values of the mapping fields
 * the item template uses (one field: its value as text; several: their JSON), else the item itself.
 */
export function userIdentity(fields: ReadonlyMap<string, unknown>, item: unknown): string {
  if (fields.size === 1) {
    const [value] = fields.values();
    return typeof value === 'string' ? value : canonicalJson(value);
  }
  if (fields.size > 1) return canonicalJson(Object.fromEntries([...fields].sort(([a], [b]) => a.localeCompare(b))));
  return typeof item === 'string' ? item : canonicalJson(item);
}
