import type { DeliveryVerdict } from './streaming/delivery';
import { cohortRetryOf, type CohortRetryVerdict } from './cohort/cohortRetry';
import type { ManifestAnalysis } from '../analysis';
import type { EndpointName } from '../manifest/model';
import { classify, isFailure, type Classification } from './classify';
import { readListId, type ListId, type ListIdResult } from './cohort/listId';
import { buildRequests, type BuiltRequest } from './request';
import type { EndpointSender, SendResult } from './send';
import { generateUsers, type SampleUser, type TestValues } from './values';

export interface EndpointTestOptions {
  values: TestValues;
  users?: SampleUser[];
  listId?: ListId;
  /** Property-based update: the users entered (true, the default) or left (false) the cohort. */
  membership?: boolean;
  /** Send to this origin instead of the manifest's (a mock server, a staging host); path and query are kept. */
  target?: string;
}

export interface EndpointTestResult {
  endpoint: EndpointName | 'events' | 'identify';
  request: BuiltRequest;
  /** How many requests the call needs in all (batches). Only the first is sent by a single test. */
  batches: number;
  result: SendResult;
  /** What Amplitude would show for the answer: every status with rows in the error table, 2xx included. */
  classification?: Classification;
  listId?: ListIdResult;
  /** Event streaming: what Amplitude would do with this answer (deliver, retry, drop). */
  delivery?: DeliveryVerdict;
  /** A cohort endpoint's failed answer: Amplitude's retries still to come, with their times (cohortRetry.ts). */
  cohortRetry?: CohortRetryVerdict;
}

/** The test failed: no answer, an error status, a 2xx whose body matched an error row, or no readable list id. */
export function testFailed(result: EndpointTestResult): boolean {
  if (!result.result.ok) return true;
  return isFailure(result.result.status, result.classification) || result.listId?.ok === false;
}

/** The request sent to `target`'s origin (and path prefix) instead of the manifest's; path and query kept. */
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

/** The requests one call of an endpoint needs (one per batch), as they would be sent: nothing is sent. */
export function planEndpoint(
  analysis: ManifestAnalysis,
  name: EndpointName,
  options: EndpointTestOptions,
): BuiltRequest[] {
  const users = options.users ?? generateUsers(3, mappingVariables(analysis));
  return buildRequests(analysis.model, name, {
    values: options.values,
    users,
    listId: options.listId,
    membership: options.membership,
  }).map((request) => retarget(request, options.target));
}

/** What the answer means: its classification, and for list creation the new list's id. */
export function interpret(
  analysis: ManifestAnalysis,
  name: EndpointName,
  result: SendResult,
): Pick<EndpointTestResult, 'classification' | 'listId' | 'cohortRetry'> {
  const retry = cohortRetryOf(result);
  const cohortRetry = retry.outcome === 'succeeded' ? undefined : retry;
  if (!result.ok) return { cohortRetry };
  const classification = classify(analysis.model, name, result.status, result.body);
  if (name !== 'listCreation' || isFailure(result.status, classification)) return { classification, cohortRetry };
  const endpoint = analysis.model.endpoints.find((e) => e.name === name);
  return {
    classification,
    cohortRetry,
    listId: readListId(result.body, endpoint?.listIdPath ?? 'listId'),
  };
}

/** Builds, sends and classifies one call of one endpoint (its first batch). */
export async function testEndpoint(
  analysis: ManifestAnalysis,
  name: EndpointName,
  options: EndpointTestOptions,
  sender: Pick<EndpointSender, 'send'>,
  signal?: AbortSignal,
): Promise<EndpointTestResult> {
  const requests = planEndpoint(analysis, name, options);
  const request = requests[0];
  const result = await sender.send(request, signal);
  return { endpoint: name, request, batches: requests.length, result, ...interpret(analysis, name, result) };
}
