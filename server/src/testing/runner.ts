import { checkJson } from '../freemarker/renderBody';
import { SAMPLE_IDENTIFIES } from '../freemarker/sampleEvents';
import { streamingRoles, type StreamingRole } from '../manifest/usage';
import { deliveryOf } from './streaming/delivery';
import type { ManifestAnalysis } from '../analysis';
import { ENDPOINT_NAMES, type EndpointName } from '../manifest/model';
import { ownValue } from '../base/records';
import { interpret, planEndpoint, retarget, type EndpointTestResult } from './endpointTest';
import { buildIngestionRequest } from './ingestion';
import type { ListId } from './cohort/listId';
import { RequestBuildError, type BuiltRequest } from './request';
import type { EndpointSender } from './send';
import { buildStreamingRequest } from './streaming/streamingRequest';
import type { SampleUser, TestValues } from './values';

/** What a test calls: a cohort endpoint, or the one request of a streaming destination or a source. */
export type TestName = EndpointName | 'events' | 'identify';

export interface TestSpec {
  /** Default: the manifest's first endpoint, or `events`. */
  name?: TestName;
  values: TestValues;
  users?: SampleUser[];
  listId?: ListId;
  /** Property-based update: the users entered (true, the default) or left (false) the cohort. */
  membership?: boolean;
  /** Send to this origin (a mock, a staging host) instead of the manifest's; path and query are kept. */
  target?: string;
  /** Event streaming: the event the body template renders. */
  event?: Record<string, unknown>;
  /** Identify forwarding: the identify its template renders (default: the first sample identify). */
  identify?: Record<string, unknown>;
  /** Event ingestion: Amplitude's HTTP API v2 endpoint. */
  ingestionEndpoint?: string;
}

/** A rendered body template, or where and why rendering failed. */
export type RenderedBody =
  { ok: true; output: string } | { ok: false; message: string; file?: string; line?: number; column?: number };

/** Renders the manifest's body template for an event with the parameter values (the CLI's worker, the server's). */
export type BodyRenderer = (
  event: Record<string, unknown>,
  parameters: Record<string, string>,
  role?: StreamingRole,
) => Promise<RenderedBody>;

/** Why a body did not render, where: `file:line:column: message` (as much of the place as is known). */
export function renderFailureText(rendered: Extract<RenderedBody, { ok: false }>): string {
  const where = rendered.file
    ? `${rendered.file}${rendered.line ? `:${rendered.line}:${rendered.column ?? 0}` : ''}: `
    : '';
  return `${where}${rendered.message}`;
}

/** The template could not render: nothing is sent. */
export class TemplateRenderError extends RequestBuildError {
  constructor(readonly rendered: Extract<RenderedBody, { ok: false }>) {
    super(`The body template does not render: ${renderFailureText(rendered)}`);
  }
}

/** The tests a manifest offers, in order. */
export function testNames(analysis: ManifestAnalysis): TestName[] {
  const kind = analysis.model.kind;
  if (kind === 'event-streaming') return streamingRoles(analysis.model.streaming);
  if (kind === 'event-ingestion') return ['events'];
  return analysis.model.endpoints.map((e) => e.name);
}

function chosenName(analysis: ManifestAnalysis, spec: TestSpec): TestName {
  const names = testNames(analysis);
  if (names.length === 0)
    throw new RequestBuildError('The manifest has nothing to test: no endpoints, and no request.');
  const name = spec.name ?? names[0];
  if (!names.includes(name)) throw new RequestBuildError(`The test must be one of ${names.join(', ')}, not "${name}".`);
  return name;
}

/**
 * The requests a test sends, exactly (one per batch for a cohort call: a single test sends the first):
 * built, rendered, retargeted, nothing sent. Throws RequestBuildError when something is missing.
 */
export async function planTest(
  analysis: ManifestAnalysis,
  spec: TestSpec,
  render?: BodyRenderer,
): Promise<BuiltRequest[]> {
  const name = chosenName(analysis, spec);
  const kind = analysis.model.kind;
  if (kind === 'event-ingestion') {
    const apiKey = ownValue(spec.values.variables, 'api_key');
    if (!apiKey) throw new RequestBuildError('An event ingestion test needs the project API key ("api_key").');
    return [retarget(buildIngestionRequest(analysis.model.ingestion, apiKey, spec.ingestionEndpoint), spec.target)];
  }
  if (kind === 'event-streaming') {
    if (!render) throw new RequestBuildError('Rendering the body template needs the FreeMarker engine.');
    const role: StreamingRole = name === 'identify' ? 'identify' : 'events';
    const event = role === 'identify' ? (spec.identify ?? SAMPLE_IDENTIFIES[0].event) : spec.event;
    if (!event) throw new RequestBuildError('An event streaming test needs an event to render.');
    const rendered = await render(event, spec.values.variables, role);
    if (!rendered.ok) throw new TemplateRenderError(rendered);
    const request = retarget(
      buildStreamingRequest(analysis.model.streaming, rendered.output, spec.values.variables, role),
      spec.target,
    );
    const jsonProblem = checkJson(rendered.output);
    if (jsonProblem) {
      request.notes = [`The rendered body is not valid JSON (${jsonProblem}); Amplitude would send it as it is.`];
    }
    return [request];
  }
  if (!(ENDPOINT_NAMES as readonly string[]).includes(name)) throw new RequestBuildError(`No endpoint "${name}".`);
  return planEndpoint(analysis, name as EndpointName, spec);
}

/** One test of any kind: planned as above, its first request sent, the answer interpreted. */
export async function runTest(
  analysis: ManifestAnalysis,
  spec: TestSpec,
  sender: EndpointSender,
  render?: BodyRenderer,
  signal?: AbortSignal,
): Promise<EndpointTestResult> {
  const name = chosenName(analysis, spec);
  const requests = await planTest(analysis, { ...spec, name }, render);
  const request = requests[0];
  const result = await sender.send(request, signal);
  if (name === 'events' || name === 'identify') {
    const delivery = analysis.model.kind === 'event-streaming' ? deliveryOf(result) : undefined;
    return { endpoint: name, request, batches: requests.length, result, delivery };
  }
  return { endpoint: name, request, batches: requests.length, result, ...interpret(analysis, name, result) };
}
