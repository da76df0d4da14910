import { percentile } from '../stats';
import type { ManifestAnalysis } from '../analysis';
import type { EndpointName } from '../manifest/model';
import { isObject, stringAt } from '../manifest/value';
import { classify, type Classification } from './classify';
import { readListId, type ListIdResult } from './listId';
import { buildRequests, createRequestBuilder, mask, RequestBuildError, type BuiltRequest } from './request';
import type { EndpointSender, SendResult } from './send';
import { generateUsers, type SampleUser, type TestValues } from './values';

export interface EndpointTestOptions {
  values: TestValues;
  users?: SampleUser[];
  listId?: string;
  /** Property-based update: the users entered (true, the default) or left (false) the cohort. */
  membership?: boolean;
  /** Send to this origin instead of the manifest's (a mock server, a staging host); path and query are kept. */
  target?: string;
}

export interface EndpointTestResult {
  endpoint: EndpointName | 'events';
  request: BuiltRequest;
  /** How many requests the call needs in all (batches). Only the first is sent by a single test. */
  batches: number;
  result: SendResult;
  classification?: Classification;
  listId?: ListIdResult;
}

export function retarget(request: BuiltRequest, target: string | undefined): BuiltRequest {
  if (!target) return request;
  const original = new URL(request.url);
  const base = new URL(target);
  return { ...request, url: `${base.origin}${base.pathname.replace(/\/$/, '')}${original.pathname}${original.search}` };
}

export function mappingVariables(analysis: ManifestAnalysis): string[] {
  return analysis.model.declarations.filter((d) => d.source === 'mappingField').map((d) => d.name);
}

export function endpointNames(analysis: ManifestAnalysis): EndpointName[] {
  return analysis.model.endpoints.map((e) => e.name);
}

/** Builds, sends and classifies one call of one endpoint (its first batch). */
export async function testEndpoint(
  analysis: ManifestAnalysis,
  name: EndpointName,
  options: EndpointTestOptions,
  sender: EndpointSender,
  signal?: AbortSignal,
): Promise<EndpointTestResult> {
  const users = options.users ?? generateUsers(3, mappingVariables(analysis));
  const requests = buildRequests(analysis.model, analysis.doc.value, name, {
    values: options.values,
    users,
    listId: options.listId,
    membership: options.membership,
  });
  const request = retarget(requests[0], options.target);
  const result = await sender.send(request, signal);
  const out: EndpointTestResult = { endpoint: name, request, batches: requests.length, result };
  if (result.ok && (result.status < 200 || result.status >= 300))
    out.classification = classify(analysis.model, name, result.status, result.body);
  if (result.ok && name === 'listCreation' && result.status >= 200 && result.status < 300) {
    const endpoint = analysis.model.endpoints.find((e) => e.name === name);
    out.listId = readListId(result.body, stringAt(endpoint?.value, 'listIdPath') ?? 'listId');
  }
  return out;
}

export interface SyncSummary {
  requests: number;
  users: { added: number; removed: number };
  statusCounts: Record<string, number>;
  classified: Record<string, number>;
  latencyMs: { p50: number; p95: number };
  durationMs: number;
  listId?: string;
  problem?: string;
}

/**
 * Sends one request per batch with at most `concurrency` in flight, as Amplitude does (4). While its
 * request is in flight each worker builds its next one, so the partner's API never waits on us.
 */
async function sendAll(
  batches: SampleUser[][],
  build: (batch: SampleUser[]) => BuiltRequest,
  sender: EndpointSender,
  concurrency: number,
  onResult: (request: BuiltRequest, result: SendResult) => void,
  signal?: AbortSignal,
): Promise<void> {
  let next = 0;
  const take = () => (next < batches.length && !signal?.aborted ? build(batches[next++]) : undefined);
  const worker = async () => {
    for (let request = take(); request;) {
      const answer = sender.send(request, signal);
      const following = take();
      onResult(request, await answer);
      request = following;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, batches.length) }, worker));
}

function batchesOf(users: SampleUser[], size: number): SampleUser[][] {
  const batches: SampleUser[][] = [];
  for (let i = 0; i < users.length; i += size) batches.push(users.slice(i, i + size));
  return batches;
}

export interface SimulateOptions extends EndpointTestOptions {
  add: number;
  remove: number;
  /** The users to remove (a CSV's "remove" rows); by default the first `remove` of the added ones. */
  removeUsers?: SampleUser[];
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * A whole sync as Amplitude runs it: list creation, then the added users in batches of the batch
 * size, 4 requests in flight, then the removed ones (property-based: update calls with
 * `$amp_cohort_membership` true, then false).
 */
export async function simulateSync(
  analysis: ManifestAnalysis,
  options: SimulateOptions,
  sender: EndpointSender,
  signal?: AbortSignal,
): Promise<SyncSummary> {
  const started = Date.now();
  const latencies: number[] = [];
  const summary: SyncSummary = {
    requests: 0,
    users: { added: 0, removed: 0 },
    statusCounts: {},
    classified: {},
    latencyMs: { p50: 0, p95: 0 },
    durationMs: 0,
  };
  const record = (request: BuiltRequest, result: SendResult) => {
    summary.requests++;
    latencies.push(result.timing.totalMs);
    const key = result.ok ? String(result.status) : result.code;
    summary.statusCounts[key] = (summary.statusCounts[key] ?? 0) + 1;
    if (result.ok && (result.status < 200 || result.status >= 300) && request.endpoint !== 'events') {
      const c = classify(analysis.model, request.endpoint, result.status, result.body);
      summary.classified[`${c.status} ${c.failureReason}`] =
        (summary.classified[`${c.status} ${c.failureReason}`] ?? 0) + 1;
    }
  };
  const names = endpointNames(analysis);
  const mappings = mappingVariables(analysis);
  const added = options.users ?? generateUsers(options.add, mappings);
  const removed = options.removeUsers ?? added.slice(0, Math.min(options.remove, added.length));
  let listId = options.listId;
  if (names.includes('listCreation') && listId === undefined) {
    const created = await testEndpoint(analysis, 'listCreation', options, sender, signal);
    record(created.request, created.result);
    if (!created.listId?.ok) {
      // Shown in logs and CI output: a failure's detail can hold the URL, and with it a secret.
      summary.problem = mask(
        created.listId
          ? created.listId.problem
          : created.result.ok
            ? `List creation answered ${created.result.status}: no list to add users to.`
            : created.result.message,
        created.request.secrets,
      );
      summary.durationMs = Date.now() - started;
      return summary;
    }
    listId = created.listId.listId;
    summary.listId = listId;
  }
  const addName: EndpointName | undefined = names.includes('addUsers')
    ? 'addUsers'
    : names.includes('update')
      ? 'update'
      : undefined;
  const removeName: EndpointName | undefined = names.includes('removeUsers')
    ? 'removeUsers'
    : names.includes('update')
      ? 'update'
      : undefined;
  if (!addName || !removeName) throw new RequestBuildError('Only cohort manifests can be simulated.');
  // Property-based: one update endpoint, called with membership true for entering users, then false.
  const builderFor = (name: EndpointName, membership: boolean) => {
    const builder = createRequestBuilder(analysis.model, analysis.doc.value, name, {
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
  const addBuilder = builderFor(addName, true);
  const removeBuilder = builderFor(removeName, false);
  const adds = batchesOf(added, addBuilder.batchSize);
  const removes = batchesOf(removed, removeBuilder.batchSize);
  const total = summary.requests + adds.length + removes.length;
  let done = summary.requests;
  const progress = (request: BuiltRequest, result: SendResult) => {
    record(request, result);
    options.onProgress?.(++done, total);
  };
  await sendAll(adds, addBuilder.build, sender, options.concurrency ?? 4, progress, signal);
  summary.users.added = added.length;
  await sendAll(removes, removeBuilder.build, sender, options.concurrency ?? 4, progress, signal);
  summary.users.removed = removed.length;
  summary.latencyMs = { p50: percentile(latencies, 50), p95: percentile(latencies, 95) };
  summary.durationMs = Date.now() - started;
  return summary;
}

/** Amplitude's HTTP API v2 request for an event ingestion source, with the partner_id. */
export function buildIngestionRequest(
  manifest: unknown,
  apiKey: string,
  endpoint = 'https://api2.amplitude.com/2/httpapi',
): BuiltRequest {
  const partnerId = stringAt(manifest, 'partnerId') ?? '';
  const now = Date.now();
  const body = {
    api_key: apiKey,
    events: [
      {
        user_id: 'user-000001',
        event_type: 'Email Opened',
        time: now,
        partner_id: partnerId,
        event_properties: { campaign_name: 'Welcome series', channel: 'email' },
      },
      {
        user_id: 'user-000001',
        event_type: 'Email Clicked',
        time: now + 1000,
        partner_id: partnerId,
        event_properties: { campaign_name: 'Welcome series', url: 'https://example.com/welcome' },
      },
    ],
  };
  if (!isObject(manifest)) throw new RequestBuildError('The manifest is not an object.');
  return {
    endpoint: 'events',
    method: 'POST',
    url: endpoint,
    headers: { 'Content-Type': 'application/json', Accept: '*/*' },
    body: JSON.stringify(body),
    secrets: [apiKey],
  };
}
