import { getHeapStatistics } from 'v8';
import type { RequestLogLimits } from './requestLog';

/** How much the mock keeps (defaults from its heap; smaller ones for tests). */
export interface MockLimits {
  log?: RequestLogLimits;
  /** Bytes of list members and property values (default: 60% of the heap limit). */
  memberBytes?: number;
  /** Members per Set/Map shard (default: V8's limit, 2^24 - 1). */
  shardSize?: number;
}

/**
 * V8's Set and Map hold at most 2^24 entries ("Set maximum size exceeded"): `--users 17000000` would fail
 * there. These keep several of them, filled one after the other, so that insertion order (what
 * `/__mock/state` lists) is the same as one Set's. A lookup asks each shard: at most 6 for 100M members.
 */
export const SHARD_SIZE = 2 ** 24 - 1;

export class ShardedMap<K, V> {
  private readonly shards: Map<K, V>[] = [new Map<K, V>()];

  constructor(private readonly shardSize: number = SHARD_SIZE) {}

  get size(): number {
    return this.shards.reduce((n, shard) => n + shard.size, 0);
  }

  private shardOf(key: K): Map<K, V> | undefined {
    for (const shard of this.shards) if (shard.has(key)) return shard;
    return undefined;
  }

  has(key: K): boolean {
    return this.shardOf(key) !== undefined;
  }

  get(key: K): V | undefined {
    return this.shardOf(key)?.get(key);
  }

  set(key: K, value: V): this {
    const shard = this.shardOf(key) ?? this.lastWithRoom();
    shard.set(key, value);
    return this;
  }

  delete(key: K): boolean {
    return this.shardOf(key)?.delete(key) ?? false;
  }

  clear(): void {
    this.shards.splice(0, this.shards.length, new Map<K, V>());
  }

  *entries(): IterableIterator<[K, V]> {
    for (const shard of this.shards) yield* shard.entries();
  }

  *keys(): IterableIterator<K> {
    for (const shard of this.shards) yield* shard.keys();
  }

  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.entries();
  }

  /** The number of shards in use (for tests of the limit). */
  get shardCount(): number {
    return this.shards.length;
  }

  private lastWithRoom(): Map<K, V> {
    const last = this.shards[this.shards.length - 1];
    if (last.size < this.shardSize) return last;
    const next = new Map<K, V>();
    this.shards.push(next);
    return next;
  }
}

/** A set of members with no 2^24 limit (a ShardedMap whose values are unused). */
export class ShardedSet<T> {
  private readonly map: ShardedMap<T, true>;

  constructor(shardSize: number = SHARD_SIZE) {
    this.map = new ShardedMap(shardSize);
  }

  get size(): number {
    return this.map.size;
  }

  get shardCount(): number {
    return this.map.shardCount;
  }

  has(value: T): boolean {
    return this.map.has(value);
  }

  add(value: T): this {
    this.map.set(value, true);
    return this;
  }

  delete(value: T): boolean {
    return this.map.delete(value);
  }

  [Symbol.iterator](): IterableIterator<T> {
    return this.map.keys();
  }
}

/**
 * What a member costs in the heap: measured about 109 bytes for a 25-character user id in a Set (the string
 * and its table entry); counted as 80 bytes plus 2 per character, so two-byte text is not under-counted.
 */
export function memberCost(member: string): number {
  return 80 + 2 * member.length;
}

/** The share of the heap the mock lets lists and properties take: the rest is for requests and state answers. */
const HEAP_SHARE = 0.6;

/**
 * How much the mock keeps, in bytes, against a budget taken from its heap limit: a call that would pass it is
 * refused with a clear answer instead of the process dying of a full heap. With Node's default heap on a
 * 24 GB machine (about 4 GB) that is about 19 million 25-character users; `--max-old-space-size` raises it.
 */
export class MemberBudget {
  private used = 0;

  constructor(readonly maxBytes: number = Math.floor(getHeapStatistics().heap_size_limit * HEAP_SHARE)) {}

  get usedBytes(): number {
    return this.used;
  }

  /** Takes `bytes` from the budget; false (and nothing taken) when that would pass it. */
  take(bytes: number): boolean {
    if (this.used + bytes > this.maxBytes) return false;
    this.used += bytes;
    return true;
  }

  give(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }

  /** The answer a call gets when what it would add does not fit. */
  full(): { status: number; body: { error: string; error_code: number } } {
    const mb = (this.maxBytes / 2 ** 20).toFixed(this.maxBytes < 2 ** 30 ? 1 : 0);
    const users = Math.floor(this.maxBytes / memberCost('user-00000001@example.com'));
    return {
      status: 507,
      body: {
        error:
          `the mock partner API keeps at most ${mb} MB of users (about ${users} user ids), and this call would ` +
          'pass that: nothing was changed. Start it with more heap (node --max-old-space-size=MB ' +
          'dist/mock-server.js) or simulate fewer users.',
        error_code: 507,
      },
    };
  }
}

/** What a new list costs besides its members: its id, its Set and its entry. */
export const LIST_COST = 512;

/**
 * Adds (or removes) a batch of members, all or nothing: false, and nothing changed, when the new members
 * would pass the budget. (Duplicates in a batch are counted twice before adding, so the check is safe.)
 */
export function changeMembers(
  members: ShardedSet<string>,
  ids: readonly string[],
  removing: boolean,
  budget: MemberBudget,
): boolean {
  if (removing) {
    for (const id of ids) if (members.delete(id)) budget.give(memberCost(id));
    return true;
  }
  let upTo = 0;
  for (const id of ids) if (!members.has(id)) upTo += memberCost(id);
  if (!budget.take(upTo)) return false;
  let added = 0;
  for (const id of ids) {
    if (members.has(id)) continue;
    members.add(id);
    added += memberCost(id);
  }
  budget.give(upTo - added);
  return true;
}

/** Sets a value for each key of a batch (property updates), all or nothing against the budget as above. */
export function setValues<V>(
  values: ShardedMap<string, V>,
  batch: readonly { key: string; value: V }[],
  budget: MemberBudget,
): boolean {
  let upTo = 0;
  for (const { key } of batch) if (!values.has(key)) upTo += memberCost(key);
  if (!budget.take(upTo)) return false;
  let added = 0;
  for (const { key, value } of batch) {
    if (!values.has(key)) added += memberCost(key);
    values.set(key, value);
  }
  budget.give(upTo - added);
  return true;
}

/**
 * A user's membership as the partner holds it: what the request carried, its type kept. A JSON body's
 * `true` is membership; its text `"true"` stays text, as a real API reading a boolean field would not take
 * it (end-state verification then shows it). A URL carries only text, so there "true" and "false" read as
 * booleans.
 */
export type MemberValue = boolean | string | number | null;

export function membershipValue(value: unknown, from: 'body' | 'url' = 'body'): MemberValue | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'boolean' || typeof value === 'number' || value === null) return value;
  if (typeof value === 'string') {
    if (from === 'url' && (value === 'true' || value === 'false')) return value === 'true';
    return value;
  }
  return JSON.stringify(value);
}
