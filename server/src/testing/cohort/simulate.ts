import type { ManifestAnalysis } from '../../analysis';
import { mask } from '../../base/mask';
import type { EndpointName } from '../../manifest/model';
import { percentile } from '../../base/stats';
import { abortableDelay } from '../../base/timeouts';
import { classify, isFailure } from '../classify';
import { endpointNames, mappingVariables, retarget, testEndpoint, type EndpointTestOptions } from '../endpointTest';
import type { ListId } from './listId';
import { createRequestBuilder, RequestBuildError, type BuiltRequest } from '../request';
import { cohortRetryOf } from './cohortRetry';
import type { EndpointSender, SendResult } from '../send';
import { firstUsers, generatedUsers, type UserSource } from './users';
import type { SampleUser } from '../values';
import { verifyEndState, type Verification } from '../verify';

export interface SyncSummary {
  requests: number;
  users: { added: number; removed: number };
  /** By status code, or by failure code ("refused", "deadline"...). */
  statusCounts: Record<string, number>;
  /** By "status failure reason", for every classified failure (a 2xx whose body matched an error row too). */
  classified: Record<string, number>;
  /** Requests that failed: no answer, an error status, or a 2xx matched by an error row. */
  failed: number;
  latencyMs: { p50: number; p95: number };
  durationMs: number;
  listId?: ListId;
  /** Why the sync stopped early. */
  problem?: string;
  /** The user cancelled it: `users` and `requests` count what was actually sent. */
  cancelled?: boolean;
  /** The partner's end state, compared with what the sync meant to leave (against the bundled mock). */
  verification?: Verification;
  /** Retries Amplitude's schedule made (cohortRetry.ts), and the first of them with when. */
  retries: number;
  retried: RetryRecord[];
  /** Requests still failing after the last of the eight retries. */
  gaveUp: number;
}

/** One retry of a failed request: why, after which wait on Amplitude's schedule, and when it was sent. */
export interface RetryRecord {
  endpoint: string;
  /** 1..8 */
  retry: number;
  reason: string;
  /** Amplitude's wait before it (1, 2, 4 ... 128 s). */
  waitSeconds: number;
  /** When it was sent, in the clock's milliseconds since the sync began (scaled by `timeScale`). */
  sentAtMs: number;
}

/** Time as simulate sees it: injectable, so the retry schedule is tested without waiting. */
export interface SyncClock {
  now(): number;
  wait(ms: number, signal?: AbortSignal): Promise<void>;
}

export const REAL_CLOCK: SyncClock = { now: () => Date.now(), wait: abortableDelay };

/** How many retries a summary lists with their times (the count is always whole). */
const RETRIES_SHOWN = 100;

export interface SimulateOptions extends Omit<EndpointTestOptions, 'users'> {
  /** The users added: generated ones by default (`add` of them). */
  added?: UserSource;
  add?: number;
  /** The users removed (a CSV's "remove" rows); by default the first `remove` of the added ones. */
  removed?: UserSource;
  remove?: number;
  concurrency?: number;
  /** Amplitude's retry waits are multiplied by this (default 0.001: 255 s of waits take 255 ms). */
  timeScale?: number;
  clock?: SyncClock;
  /** Read the mock's end state afterwards and compare (default: when there is a target). */
  verify?: boolean;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Sends one request per batch with at most `concurrency` in flight, as Amplitude does (4). While its
 * request is in flight each worker builds its next one, so the partner's API never waits on us. Answers
 * the number of users whose request was sent and not cancelled (a cancelled sync sends fewer than asked).
 */
async function sendAll(
  users: UserSource,
  batchSize: number,
  build: (batch: SampleUser[]) => BuiltRequest,
  sender: Sender,
  concurrency: number,
  onResult: (request: BuiltRequest, result: SendResult) => void,
  signal?: AbortSignal,
): Promise<number> {
  let next = 0;
  let sent = 0;
  const take = () => {
    if (next >= users.count || signal?.aborted) return undefined;
    const batch = users.slice(next, next + batchSize);
    next += batchSize;
    return { request: build(batch), users: batch.length };
  };
  const worker = async () => {
    for (let batch = take(); batch;) {
      const answer = sender.send(batch.request, signal);
      const following = take();
      const result = await answer;
      if (result.ok || result.code !== 'cancelled') sent += batch.users;
      onResult(batch.request, result);
      batch = following;
    }
  };
  const workers = Math.min(concurrency, Math.ceil(users.count / batchSize));
  await Promise.all(Array.from({ length: workers }, worker));
  return sent;
}

type Sender = Pick<EndpointSender, 'send'>;

/**
 * A sender that retries a failed request on Amplitude's cohort schedule ("Receiving Behavioral Cohorts",
 * https://amplitude.com/docs/partners/receiving-behavioral-cohorts: eight retries from 1 s doubling), the waits
 * scaled by `timeScale`. The worker that sent it waits, as one of Amplitude's 4 threads would.
 */
function retryingSender(
  sender: Sender,
  recorder: SyncRecorder,
  options: { clock: SyncClock; timeScale: number },
): Sender {
  const { clock, timeScale } = options;
  return {
    async send(request, signal) {
      let result = await sender.send(request, signal);
      for (let attempt = 1; !signal?.aborted; attempt++) {
        const verdict = cohortRetryOf(result, attempt, clock.now());
        if (verdict.outcome === 'failed') recorder.summary.gaveUp++;
        if (verdict.outcome !== 'retry') break;
        const [next] = verdict.next;
        await clock.wait(next.waitSeconds * 1000 * timeScale, signal);
        if (signal?.aborted) break;
        recorder.retry({
          endpoint: request.endpoint,
          retry: next.retry,
          reason: verdict.reason ?? '',
          waitSeconds: next.waitSeconds,
          sentAtMs: clock.now() - recorder.started,
        });
        result = await sender.send(request, signal);
      }
      return result;
    },
  };
}

class SyncRecorder {
  readonly summary: SyncSummary = {
    requests: 0,
    users: { added: 0, removed: 0 },
    statusCounts: {},
    classified: {},
    failed: 0,
    latencyMs: { p50: 0, p95: 0 },
    durationMs: 0,
    retries: 0,
    retried: [],
    gaveUp: 0,
  };
  private readonly latencies: number[] = [];
  readonly started: number;

  constructor(
    private readonly analysis: ManifestAnalysis,
    private readonly clock: SyncClock = REAL_CLOCK,
  ) {
    this.started = clock.now();
  }

  retry(record: RetryRecord): void {
    this.summary.retries++;
    if (this.summary.retried.length < RETRIES_SHOWN) this.summary.retried.push(record);
  }

  record(request: BuiltRequest, result: SendResult): void {
    const summary = this.summary;
    summary.requests++;
    this.latencies.push(result.timing.totalMs);
    const key = result.ok ? String(result.status) : result.code;
    summary.statusCounts[key] = (summary.statusCounts[key] ?? 0) + 1;
    if (!result.ok) {
      summary.failed++;
      return;
    }
    if (request.endpoint === 'events' || request.endpoint === 'identify') return;
    const c = classify(this.analysis.model, request.endpoint, result.status, result.body);
    if (!isFailure(result.status, c)) return;
    summary.failed++;
    if (c)
      summary.classified[`${c.status} ${c.failureReason}`] =
        (summary.classified[`${c.status} ${c.failureReason}`] ?? 0) + 1;
  }

  finish(): SyncSummary {
    this.summary.latencyMs = { p50: percentile(this.latencies, 50), p95: percentile(this.latencies, 95) };
    this.summary.durationMs = this.clock.now() - this.started;
    return this.summary;
  }
}

/** List creation, when the sync needs one: the id it answered, or the summary saying why the sync stops. */
async function createList(
  analysis: ManifestAnalysis,
  options: SimulateOptions,
  recorder: SyncRecorder,
  sender: Sender,
  signal?: AbortSignal,
): Promise<ListId | undefined> {
  const created = await testEndpoint(analysis, 'listCreation', options, sender, signal);
  recorder.record(created.request, created.result);
  if (created.listId?.ok) return created.listId.listId;
  let problem: string;
  if (created.listId) problem = created.listId.problem;
  else if (created.result.ok) problem = `List creation answered ${created.result.status}: no list to add users to.`;
  else problem = created.result.message;
  // Shown in logs and CI output: a failure's detail can hold the URL, and with it a secret.
  recorder.summary.problem = mask(problem, created.request.secrets);
  return undefined;
}

/** A cancelled sync says so, and what it actually sent of what it meant to. */
function markCancelled(summary: SyncSummary, meant: { added: number; removed: number; requests: number }): void {
  summary.cancelled = true;
  summary.problem ??=
    `The simulation was cancelled: ${summary.users.added} of ${meant.added} users added and ` +
    `${summary.users.removed} of ${meant.removed} removed, in ${summary.requests} of ${meant.requests} requests. ` +
    'The end state was not checked.';
}

/** The calls that add and remove users: add and remove, or property-based update for both. */
function syncCalls(names: EndpointName[]): { addName: EndpointName; removeName: EndpointName } {
  if (names.includes('addUsers') && names.includes('removeUsers'))
    return { addName: 'addUsers', removeName: 'removeUsers' };
  if (names.includes('update')) return { addName: 'update', removeName: 'update' };
  throw new RequestBuildError('Only cohort manifests with add and remove (or update) endpoints can be simulated.');
}

/**
 * A whole sync as Amplitude runs it: list creation, then the added users in batches of the batch
 * size, 4 requests in flight, then the removed ones (property-based: update calls with
 * `$amp_cohort_membership` true, then false). Against the bundled mock it then checks the end state.
 */
export async function simulateSync(
  analysis: ManifestAnalysis,
  options: SimulateOptions,
  sender: EndpointSender,
  signal?: AbortSignal,
): Promise<SyncSummary> {
  const names = endpointNames(analysis);
  const { addName, removeName } = syncCalls(names);
  const clock = options.clock ?? REAL_CLOCK;
  const recorder = new SyncRecorder(analysis, clock);
  const retrying = retryingSender(sender, recorder, { clock, timeScale: options.timeScale ?? 0.001 });
  const added = options.added ?? generatedUsers(options.add ?? 0, mappingVariables(analysis));
  const removed = options.removed ?? firstUsers(added, options.remove ?? 0);
  let listId = options.listId;
  if (names.includes('listCreation') && listId === undefined) {
    listId = await createList(analysis, options, recorder, retrying, signal);
    if (listId === undefined) {
      if (signal?.aborted) recorder.summary.cancelled = true;
      return recorder.finish();
    }
    recorder.summary.listId = listId;
  }
  // Property-based: one update endpoint, called with membership true for entering users, then false.
  const builderFor = (name: EndpointName, membership: boolean) => {
    const builder = createRequestBuilder(analysis.model, name, {
      values: options.values,
      listId,
      membership,
    });
    return {
      batchSize: builder.batchSize,
      build: (users: SampleUser[]) => retarget(builder.build(users), options.target),
    };
  };
  // Missing test values surface here, before anything is sent.
  const adds = builderFor(addName, true);
  const removes = builderFor(removeName, false);
  const total =
    recorder.summary.requests + Math.ceil(added.count / adds.batchSize) + Math.ceil(removed.count / removes.batchSize);
  let done = recorder.summary.requests;
  const progress = (request: BuiltRequest, result: SendResult) => {
    recorder.record(request, result);
    options.onProgress?.(++done, total);
  };
  const concurrency = options.concurrency ?? 4;
  const send = (users: UserSource, calls: typeof adds) =>
    sendAll(users, calls.batchSize, calls.build, retrying, concurrency, progress, signal);
  recorder.summary.users.added = await send(added, adds);
  recorder.summary.users.removed = await send(removed, removes);
  const summary = recorder.finish();
  if (signal?.aborted) markCancelled(summary, { added: added.count, removed: removed.count, requests: total });
  if ((options.verify ?? options.target !== undefined) && !signal?.aborted) {
    summary.verification = await verifyEndState({ analysis, target: options.target, listId, added, removed }, sender);
  }
  return summary;
}
