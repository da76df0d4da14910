/**
 * Records keyed by names a partner or a manifest chose (custom fields, parameters, CSV columns, headers):
 * such a name can be `constructor`, `toString` or `__proto__`, which every plain object already has.
 */

/** The record's own value for `key`; never one it inherits. */
export function ownValue<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

/** A record with no prototype: any name, `__proto__` included, is a plain key. */
export function emptyRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** A prototype-free copy of `entries`. */
export function recordOf<T>(entries: Iterable<readonly [string, T]>): Record<string, T> {
  const out = emptyRecord<T>();
  for (const [key, value] of entries) out[key] = value;
  return out;
}
