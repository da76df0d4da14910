import { isObject } from '../base/value';
import { authorized, UNAUTHORIZED, type MockAuth } from './auth';
import { changeMembers, LIST_COST, MemberBudget, setValues, ShardedMap, ShardedSet, type MockLimits } from './members';
import type { MockAnswer, MockHandler, MockRequest } from './server';

/** What the mock without a manifest keeps. */
export interface HeuristicState {
  mock: 'heuristic';
  lists: Record<string, string[]>;
  properties: Record<string, boolean>;
  events: number;
  requests: number;
}

/** The first array in a JSON body: the batch of users, whatever the payload calls it. */
function firstArray(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value as unknown[];
  if (isObject(value)) {
    for (const v of Object.values<unknown>(value)) {
      const found = firstArray(v);
      if (found) return found;
    }
  }
  return undefined;
}

function setAtPath(path: string, id: string): unknown {
  const segments = path.split('.').filter(Boolean);
  let value: unknown = id;
  for (let i = segments.length - 1; i >= 0; i--) value = { [segments[i]]: value };
  return value;
}

function memberKey(item: unknown): string {
  return typeof item === 'string' ? item : JSON.stringify(item);
}

function firstBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (isObject(value)) {
    for (const v of Object.values(value)) {
      const found = firstBoolean(v);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/**
 * A property update for one user: a boolean in the item (or else in the payload) is the membership
 * (true when not said); the item's other fields name the user.
 */
function propertyUpdate(item: unknown, body: unknown): { user: string; member: boolean } {
  if (isObject(item)) {
    const rest = Object.entries(item).filter(([, v]) => typeof v !== 'boolean');
    const user = rest.length === 1 ? rest[0][1] : Object.fromEntries(rest);
    return { user: memberKey(user), member: firstBoolean(item) ?? firstBoolean(body) ?? true };
  }
  return { user: memberKey(item), member: firstBoolean(body) ?? true };
}

export interface HeuristicOptions {
  /** Where the list creation response keeps the new id. */
  listIdPath?: string;
  auth?: MockAuth;
  limits?: MockLimits;
}

/**
 * The mock without a manifest: guesses from the URL and the body (a list id in the path, the first
 * array is the users, a boolean is the membership). Shapes it cannot guess are recorded as nothing;
 * `simulate` then reports that the end state does not match.
 */
export function heuristicHandler(options: HeuristicOptions): MockHandler<HeuristicState> {
  return new LegacyMock(options);
}

class LegacyMock implements MockHandler<HeuristicState> {
  private readonly lists: ShardedMap<string, ShardedSet<string>>;
  private readonly properties: ShardedMap<string, boolean>;
  private budget: MemberBudget;
  private events = 0;
  private requestCount = 0;
  private nextList = 1;

  constructor(private readonly options: HeuristicOptions) {
    this.lists = new ShardedMap(options.limits?.shardSize);
    this.properties = new ShardedMap(options.limits?.shardSize);
    this.budget = new MemberBudget(options.limits?.memberBytes);
  }

  handle(req: MockRequest): MockAnswer {
    this.requestCount++;
    if (req.jsonError !== undefined) return { status: 400, body: { error: 'body is not JSON', error_code: 400 } };
    const body = req.json ?? {};
    // Amplitude's own HTTP API v2, as an ingestion source calls it: the key is in the body.
    if (/httpapi/.test(req.url.pathname)) return httpApiV2(body, req.raw, (n) => (this.events += n));
    if (!authorized(req.headers, this.options.auth)) return UNAUTHORIZED;
    return this.cohortCall(req, body);
  }

  state(): HeuristicState {
    return {
      mock: 'heuristic',
      lists: Object.fromEntries([...this.lists].map(([id, members]) => [id, [...members]])),
      properties: Object.fromEntries(this.properties),
      events: this.events,
      requests: this.requestCount,
    };
  }

  reset(): void {
    this.lists.clear();
    this.properties.clear();
    this.budget = new MemberBudget(this.budget.maxBytes);
    this.events = 0;
    this.requestCount = 0;
  }

  private cohortCall(req: MockRequest, body: unknown): MockAnswer {
    const knownList = req.url.pathname.split('/').find((segment) => this.lists.has(safeDecode(segment)));
    const items = firstArray(body);
    if (knownList) return this.membership(req, this.lists.get(safeDecode(knownList)) ?? new ShardedSet(1), items);
    if (/track|event/i.test(req.url.pathname)) {
      const batch = isObject(body) && Array.isArray(body.events) ? body.events.length : 1;
      this.events += batch;
      return { status: 200, body: { accepted: batch } };
    }
    if (items) {
      const batch = items.map((item) => {
        const { user, member } = propertyUpdate(item, body);
        return { key: user, value: member };
      });
      if (!setValues(this.properties, batch, this.budget)) return this.budget.full();
      return { status: 200, body: { updated: items.length } };
    }
    if (/lists|audiences/i.test(req.url.pathname) || req.method === 'POST') {
      if (!this.budget.take(LIST_COST)) return this.budget.full();
      const id = `list-${this.nextList++}`;
      this.lists.set(id, new ShardedSet(this.options.limits?.shardSize));
      return { status: 200, body: setAtPath(this.options.listIdPath ?? 'listId', id) };
    }
    return { status: 404, body: { error: 'not found', error_code: 404 } };
  }

  private membership(req: MockRequest, members: ShardedSet<string>, items: unknown[] | undefined): MockAnswer {
    if (!items) return { status: 400, body: { error: 'no users in the payload', error_code: 1002 } };
    const removing = /remove|delete/i.test(req.url.pathname) || req.method === 'DELETE';
    if (!changeMembers(members, items.map(memberKey), removing, this.budget)) return this.budget.full();
    return { status: 200, body: { [removing ? 'removed' : 'added']: items.length, size: members.size } };
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Amplitude's HTTP API v2 (event ingestion): `api_key` and `events` in the body. */
export function httpApiV2(body: unknown, raw: string, count: (events: number) => void): MockAnswer {
  const batch = isObject(body) ? body : {};
  if (typeof batch.api_key !== 'string' || !Array.isArray(batch.events)) {
    const missing = typeof batch.api_key !== 'string' ? 'api_key' : 'events';
    return { status: 400, body: { code: 400, error: 'Request missing required field', missing_field: missing } };
  }
  count(batch.events.length);
  return {
    status: 200,
    body: {
      code: 200,
      events_ingested: batch.events.length,
      payload_size_bytes: Buffer.byteLength(raw),
      server_upload_time: Date.now(),
    },
  };
}
