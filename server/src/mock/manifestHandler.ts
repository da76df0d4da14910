import { parseListIdPath } from '../manifest/listIdPath';
import { declaredVariableNames, type ManifestModel } from '../manifest/model';
import { isObject, scalarText } from '../base/value';
import { MEMBERSHIP_VARIABLE } from '../manifest/variables';
import { canonicalJson, capture, userIdentity, type Capture } from '../testing/match';
import { readListId } from '../testing/cohort/listId';
import { authorized, UNAUTHORIZED, type MockAuth } from './auth';
import { parseBehaviour, type Behaviour } from './behaviour';
import { capturePayload, matchUrl, payloadAffinity, routesOf, type Route, type RouteRole } from './routes';
import {
  changeMembers,
  LIST_COST,
  MemberBudget,
  membershipValue,
  setValues,
  ShardedMap,
  ShardedSet,
  type MemberValue,
  type MockLimits,
} from './members';
import { RequestLog, type RecordedRequest, type RequestLogReport } from './requestLog';
import type { MockAnswer, MockHandler, MockRequest } from './server';

/** One answer of a route, from a fixtures file: any of status, body, headers, delay, misbehaviour. */
export interface AnswerFixture {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  delayMs?: number;
  /** A misbehaviour as `--misbehave` takes it: `reset`, `slow:2000`, `rate-limit:5` ... */
  misbehave?: string;
}

/** A route's answers: one for every call, or a sequence (the last one repeats). */
export interface RouteFixture extends AnswerFixture {
  sequence?: AnswerFixture[];
}

/** A fixtures file: how the mock answers, per route (listCreation, addUsers, removeUsers, update, events). */
export interface MockFixtures {
  /** The type of the ids list creation answers with (default string: "list-1"; number: 1001). */
  listIdType?: 'string' | 'number';
  /**
   * Where the partner's list creation answer keeps the new id (`--list-id-path`): by default the manifest's
   * listIdPath. Set apart from the manifest, a wrong listIdPath in the manifest is caught as the real API would.
   */
  listIdPath?: string;
  /**
   * What the partner's membership field takes, when the fixture knows it: `boolean` (Braze's custom attribute)
   * refuses the text "true" with 400, `text` (HubSpot's checkbox property) refuses a JSON boolean.
   */
  membership?: 'boolean' | 'text';
  routes?: Partial<Record<RouteRole, RouteFixture>>;
  auth?: MockAuth;
}

/** What the manifest-derived mock keeps: lists and properties by user, events, and what it could not route. */
export interface ManifestMockState {
  mock: 'manifest';
  lists: Record<string, string[]>;
  /** Each list's id as it was answered (a number stays a number). */
  listIds: Record<string, string | number>;
  properties: Record<string, MemberValue>;
  /**
   * Property values per cohort, when the update carried the cohort ($amp_cohort_id, _name or _url, in the URL,
   * payload or item): keyed by those values as canonical JSON, then by user. `properties` keeps one value a user.
   */
  cohortProperties: Record<string, Record<string, MemberValue>>;
  /** Requests to the events route, and the events they carried (an array body, or one under "events"). */
  events: { accepted: number; received: number; eventsAccepted: number };
  identifies: { accepted: number; received: number };
  requests: Partial<Record<RouteRole, number>>;
  /** The latest unmatched requests (at most 20, paths cut at 512 characters) ... */
  unmatched: { method: string; path: string }[];
  /** ... and how many there were in all. */
  unmatchedCount: number;
  /** The request log's size against its budget (GET /__mock/requests). */
  log: RequestLogReport;
}

function bodyWithListId(listIdPath: string, id: string | number): unknown {
  const parsed = parseListIdPath(listIdPath);
  const segments = 'segments' in parsed ? parsed.segments : ['listId'];
  let value: unknown = id;
  for (let i = segments.length - 1; i >= 0; i--) {
    const segment = segments[i];
    value =
      typeof segment === 'number'
        ? Object.assign(new Array<unknown>(segment + 1).fill({}), { [segment]: value })
        : { [segment]: value };
  }
  return value;
}

/** The variables whose value differs from one cohort to the next. */
const COHORT_VARIABLES: ReadonlySet<string> = new Set(['amp_cohort_name', 'amp_cohort_id', 'amp_cohort_url']);

/** Which cohort an update was for, as the partner could tell: the cohort values it carried, or undefined. */
function cohortKey(captures: Capture[]): string | undefined {
  if (captures.length === 0) return undefined;
  const values: Record<string, unknown> = {};
  for (const c of captures) if (!Object.hasOwn(values, c.name)) values[c.name] = c.value;
  return canonicalJson(values);
}

function first(captures: Capture[], name: string): unknown {
  return captures.find((c) => c.name === name)?.value;
}

/** Identity and membership of each user in a batch, read through the item template. */
function usersOf(items: unknown[], route: Route, declared: ReadonlySet<string>, mappingFields: ReadonlySet<string>) {
  return items.map((item) => {
    const captures = capture(route.itemTemplate, item, declared);
    const fields = new Map<string, unknown>();
    for (const c of captures) if (mappingFields.has(c.name) && !fields.has(c.name)) fields.set(c.name, c.value);
    return {
      identity: userIdentity(fields, item),
      membership: membershipValue(first(captures, MEMBERSHIP_VARIABLE)),
      cohort: captures.filter((c) => COHORT_VARIABLES.has(c.name)),
    };
  });
}

export type { RecordedRequest } from './requestLog';

/** The unmatched requests the state keeps (the latest), and how much of each path. */
const UNMATCHED_KEPT = 20;
const UNMATCHED_PATH_CHARS = 512;

class Recorder {
  readonly log: RequestLog;
  readonly budget: MemberBudget;
  readonly lists: ShardedMap<string, ShardedSet<string>>;
  readonly listIds: ShardedMap<string, string | number>;
  readonly properties: ShardedMap<string, MemberValue>;
  /** Per cohort, when an update says which cohort it is for (simulate --cohorts); small, so not sharded. */
  readonly cohortProperties = new Map<string, Map<string, MemberValue>>();
  readonly requests = new Map<RouteRole, number>();
  private readonly unmatched: { method: string; path: string }[] = [];
  private unmatchedCount = 0;
  events = { accepted: 0, received: 0, eventsAccepted: 0 };
  identifies = { accepted: 0, received: 0 };
  nextList = 1;

  constructor(readonly limits: MockLimits) {
    this.log = new RequestLog(limits.log);
    this.budget = new MemberBudget(limits.memberBytes);
    this.lists = new ShardedMap(limits.shardSize);
    this.listIds = new ShardedMap(limits.shardSize);
    this.properties = new ShardedMap(limits.shardSize);
  }

  /** Keeps the latest unmatched requests only, their paths cut (a flood of odd URLs cannot fill the memory). */
  notMatched(method: string, path: string): void {
    this.unmatchedCount++;
    const cut = path.length > UNMATCHED_PATH_CHARS ? `${path.slice(0, UNMATCHED_PATH_CHARS)}… (cut)` : path;
    this.unmatched.push({ method: method.slice(0, 32), path: cut });
    if (this.unmatched.length > UNMATCHED_KEPT) this.unmatched.shift();
  }

  state(): ManifestMockState {
    return {
      mock: 'manifest',
      lists: Object.fromEntries([...this.lists].map(([id, members]) => [id, [...members]])),
      listIds: Object.fromEntries(this.listIds),
      properties: Object.fromEntries(this.properties),
      cohortProperties: Object.fromEntries(
        [...this.cohortProperties].map(([cohort, users]) => [cohort, Object.fromEntries(users)]),
      ),
      events: { ...this.events },
      identifies: { ...this.identifies },
      requests: Object.fromEntries(this.requests),
      unmatched: [...this.unmatched],
      unmatchedCount: this.unmatchedCount,
      log: this.log.report(),
    };
  }
}

function fixtureAnswer(fixture: RouteFixture | undefined, call: number): AnswerFixture | undefined {
  if (!fixture) return undefined;
  if (fixture.sequence && fixture.sequence.length > 0)
    return fixture.sequence[Math.min(call, fixture.sequence.length - 1)];
  return fixture;
}

/**
 * A mock partner API derived from a manifest: it serves the manifest's own routes (method and URL, its
 * variables as wildcards), reads `$items`, `$list_id` and `$amp_cohort_membership` wherever the payload
 * puts them, keeps list membership and property values (their types kept) for any shape, and answers list
 * creation with an id at the partner's listIdPath (`fixtures.listIdPath`, else the manifest's). A fixtures
 * file sets per route the status, body, delay and misbehaviour; a list creation body is the partner's answer.
 */
export function manifestHandler(
  model: ManifestModel,
  fixtures: MockFixtures = {},
  limits: MockLimits = {},
): ManifestMock {
  return new ManifestMock(model, fixtures, limits);
}

const NO_ITEMS: MockAnswer = {
  status: 400,
  body: { error: 'no users where the manifest puts $items', error_code: 1002 },
};

export class ManifestMock implements MockHandler<ManifestMockState> {
  private readonly routes: Route[];
  private readonly declared: ReadonlySet<string>;
  private readonly mappingFields: Set<string>;
  private readonly listIdPath: string;
  private recorder: Recorder;

  constructor(
    model: ManifestModel,
    private readonly fixtures: MockFixtures,
    private readonly limits: MockLimits,
  ) {
    this.routes = routesOf(model);
    this.declared = declaredVariableNames(model);
    this.mappingFields = new Set(model.declarations.filter((d) => d.source === 'mappingField').map((d) => d.name));
    const listCreation = model.endpoints.find((e) => e.name === 'listCreation');
    this.listIdPath = fixtures.listIdPath ?? listCreation?.listIdPath ?? 'listId';
    this.recorder = new Recorder(limits);
  }

  /**
   * `partner`: the answer the partner's API gives (the description-driven mock's), in place of the fixture: its
   * status and body are sent exactly, and the route's work (list registered, users kept) is done on a 2xx.
   */
  handle(req: MockRequest, partner?: AnswerFixture): MockAnswer {
    const recorder = this.recorder;
    const found = this.pick(req);
    recorder.log.remember(found?.route.name ?? 'unmatched', req);
    if (!found) {
      recorder.notMatched(req.method, req.url.pathname);
      const error = `no route of the manifest matches ${req.method} ${req.url.pathname}`;
      return { status: 404, body: { error, error_code: 404 } };
    }
    const { route, captures } = found;
    const call = recorder.requests.get(route.name) ?? 0;
    recorder.requests.set(route.name, call + 1);
    if (route.name === 'events') recorder.events.received++;
    if (route.name === 'identify') recorder.identifies.received++;
    if (req.jsonError !== undefined)
      return { status: 400, body: { error: `body is not JSON: ${req.jsonError}`, error_code: 400 } };
    if (!authorized(req.headers, this.fixtures.auth)) return UNAUTHORIZED;
    const fixture = partner ?? fixtureAnswer(this.fixtures.routes?.[route.name], call);
    const natural = () => this.natural(route, req, captures, fixture);
    return answerWith(fixture, natural, route, recorder, { request: req, exact: partner !== undefined });
  }

  /** The manifest's call a request is (list creation, add ...), as the routes tell. */
  roleOf(req: MockRequest): RouteRole | undefined {
    return this.pick(req)?.route.name;
  }

  state(): ManifestMockState {
    return this.recorder.state();
  }

  requests(): RecordedRequest[] {
    return this.recorder.log.requests();
  }

  reset(): void {
    this.recorder = new Recorder(this.limits);
  }

  /** The route a request is for: method and URL first, then the payload shape when several match. */
  private pick(req: MockRequest): { route: Route; captures: Capture[] } | undefined {
    const candidates = this.routes
      .map((route) => ({ route, captures: matchUrl(route, req.method, req.url) }))
      .filter((c): c is { route: Route; captures: Capture[] } => c.captures !== undefined);
    if (candidates.length <= 1) return candidates[0];
    const affinity = (route: Route) => payloadAffinity(route.payload, req.json);
    return candidates.sort((a, b) => affinity(b.route) - affinity(a.route))[0];
  }

  /** What the partner's API would do with a well-formed call. */
  private natural(route: Route, req: MockRequest, captures: Capture[], fixture?: AnswerFixture): MockAnswer {
    switch (route.name) {
      case 'listCreation':
        return this.createList(fixture?.body);
      case 'addUsers':
      case 'removeUsers':
        return this.membershipChange(route, req, captures);
      case 'update':
        return this.propertyUpdate(route, req, captures);
      default:
        return { status: 200, body: { accepted: 1 } };
    }
  }

  /**
   * A new list, answered with its id at the partner's listIdPath. A fixture's body is the partner's own answer:
   * it is sent as it is, and the id found in it at that path is the list registered; where the path finds no
   * id, list creation still answers, and each later call with `$list_id` fails as it would on the real API.
   */
  private createList(fixtureBody: unknown): MockAnswer {
    if (!this.recorder.budget.take(LIST_COST)) return this.recorder.budget.full();
    if (fixtureBody !== undefined) {
      const found = readListId(JSON.stringify(fixtureBody), this.listIdPath);
      if (found.ok) this.register(found.listId);
      return { status: 200, body: fixtureBody };
    }
    const n = this.recorder.nextList++;
    const id = this.fixtures.listIdType === 'number' ? 1000 + n : `list-${n}`;
    this.register(id);
    return { status: 200, body: bodyWithListId(this.listIdPath, id) };
  }

  private register(id: string | number): void {
    this.recorder.lists.set(String(id), new ShardedSet(this.limits.shardSize));
    this.recorder.listIds.set(String(id), id);
  }

  private batchOf(route: Route, req: MockRequest, captures: Capture[]) {
    const payload = capturePayload(route, req.json, this.declared);
    const all = [...captures, ...payload];
    const items = first(all, 'items');
    // Membership for the whole call: the body's value with its type, else the URL's text.
    const inBody = first(payload, MEMBERSHIP_VARIABLE);
    const membership =
      inBody !== undefined ? membershipValue(inBody) : membershipValue(first(captures, MEMBERSHIP_VARIABLE), 'url');
    return { all, items: Array.isArray(items) ? items : undefined, membership };
  }

  private membershipChange(route: Route, req: MockRequest, captures: Capture[]): MockAnswer {
    const { all, items } = this.batchOf(route, req, captures);
    const listId = first(all, 'list_id');
    if (listId === undefined)
      return { status: 400, body: { error: 'no list id where the manifest puts $list_id', error_code: 1003 } };
    const key = scalarText(listId);
    const members = this.recorder.lists.get(key);
    if (!members) return { status: 404, body: { error: `list ${key} not found`, error_code: 404 } };
    if (!items) return NO_ITEMS;
    const removing = route.name === 'removeUsers';
    const ids = usersOf(items, route, this.declared, this.mappingFields).map((user) => user.identity);
    if (!changeMembers(members, ids, removing, this.recorder.budget)) return this.recorder.budget.full();
    return { status: 200, body: { [removing ? 'removed' : 'added']: items.length, size: members.size } };
  }

  /** 400 when the fixture says what the membership field takes and a value is of the other type. */
  private membershipRefused(values: MemberValue[]): MockAnswer | undefined {
    const wanted = this.fixtures.membership;
    if (wanted === undefined) return undefined;
    const odd = values.find((v) => v !== null && (wanted === 'boolean') !== (typeof v === 'boolean'));
    if (odd === undefined) return undefined;
    const got = typeof odd === 'string' ? `the text ${JSON.stringify(odd)}` : `${typeof odd} ${JSON.stringify(odd)}`;
    const error = `the membership field takes ${wanted === 'boolean' ? 'a boolean' : 'text'}, not ${got}`;
    return { status: 400, body: { error, error_code: 400 } };
  }

  private propertyUpdate(route: Route, req: MockRequest, captures: Capture[]): MockAnswer {
    const { all, items, membership: callMembership } = this.batchOf(route, req, captures);
    if (!items) return NO_ITEMS;
    const callCohort = all.filter((c) => COHORT_VARIABLES.has(c.name));
    const users = usersOf(items, route, this.declared, this.mappingFields);
    const batch = users.map((user) => ({ key: user.identity, value: user.membership ?? callMembership ?? null }));
    const refused = this.membershipRefused(batch.map((b) => b.value));
    if (refused) return refused;
    if (!setValues(this.recorder.properties, batch, this.recorder.budget)) return this.recorder.budget.full();
    users.forEach((user, i) => {
      const cohort = cohortKey([...callCohort, ...user.cohort]);
      if (cohort === undefined) return;
      const values = this.recorder.cohortProperties.get(cohort) ?? new Map<string, MemberValue>();
      this.recorder.cohortProperties.set(cohort, values.set(user.identity, batch[i].value));
    });
    return { status: 200, body: { updated: items.length } };
  }
}

/**
 * The fixture's answer over the natural one: a 2xx fixture still does the route's work (the list is
 * created, the users recorded) with the fixture's status and body, unless that work is refused (then the
 * refusal is the answer); an error status does nothing.
 */
function answerWith(
  fixture: AnswerFixture | undefined,
  natural: () => MockAnswer,
  route: Route,
  recorder: Recorder,
  { request, exact }: { request?: MockRequest; exact?: boolean } = {},
): MockAnswer {
  const status = fixture?.status ?? 200;
  const succeeds = status >= 200 && status < 300;
  const behaviour: Behaviour | undefined = fixture?.misbehave ? parseBehaviour(fixture.misbehave) : undefined;
  const base: MockAnswer = succeeds && !behaviour ? natural() : { status, body: { error: `mock status ${status}` } };
  if (succeeds && !behaviour && route.name === 'events') {
    recorder.events.accepted++;
    recorder.events.eventsAccepted += eventCount(request?.json);
  }
  if (succeeds && !behaviour && route.name === 'identify') recorder.identifies.accepted++;
  // A call the partner refuses (an unknown list, no users) is refused whatever status its fixture has for success.
  if (succeeds && !behaviour && (base.status < 200 || base.status >= 300)) return base;
  // List creation sent the fixture's body as it is (createList); the other routes' fixtures add to the natural body.
  const merge = fixture?.body !== undefined && !(route.name === 'listCreation' && succeeds && !behaviour);
  let body = merge ? mergeBody(base.body, fixture?.body) : base.body;
  if (exact) body = fixture?.body;
  return {
    status: fixture?.status ?? base.status,
    body: status === 204 ? undefined : body,
    headers: fixture?.headers,
    delayMs: fixture?.delayMs,
    behaviour,
  };
}

function mergeBody(natural: unknown, fixture: unknown): unknown {
  return isObject(natural) && isObject(fixture) ? { ...natural, ...fixture } : fixture;
}

/** The events one request carried, whatever the body's shape: an array of them, one under "events", or one. */
export function eventCount(body: unknown): number {
  if (Array.isArray(body)) return body.length;
  if (isObject(body) && Array.isArray(body.events)) return body.events.length;
  return body === undefined ? 0 : 1;
}
