import { emptyRecord } from '../../base/records';
import type { SampleUser } from '../values';

/** The users of a test or a sync, handed out a batch at a time: a million users never sit in memory at once. */
export interface UserSource {
  readonly count: number;
  slice(from: number, to: number): SampleUser[];
}

export function userAt(index: number, mappingVariables: readonly string[]): SampleUser {
  const id = `user-${String(index + 1).padStart(6, '0')}`;
  const fields = emptyRecord<string>();
  for (const variable of mappingVariables) fields[variable] = /email/i.test(variable) ? `${id}@example.com` : id;
  return { fields };
}

/** `count` users with generated ids (user-000001, ...), one value per mapping field, made when asked for. */
export function generatedUsers(count: number, mappingVariables: readonly string[], offset = 0): UserSource {
  return {
    count,
    slice(from, to) {
      const users: SampleUser[] = [];
      for (let i = Math.max(0, from); i < Math.min(to, count); i++) users.push(userAt(offset + i, mappingVariables));
      return users;
    },
  };
}

export function listedUsers(users: readonly SampleUser[]): UserSource {
  return { count: users.length, slice: (from, to) => users.slice(from, to) };
}

/** The first `count` users of another source. */
export function firstUsers(source: UserSource, count: number): UserSource {
  const limit = Math.min(count, source.count);
  return { count: limit, slice: (from, to) => source.slice(from, Math.min(to, limit)) };
}

/** Every user of a source, batch by batch. */
export function* batches(source: UserSource, size: number): Generator<SampleUser[]> {
  for (let from = 0; from < source.count; from += size) yield source.slice(from, from + size);
}
