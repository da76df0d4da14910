import type { JSONPath } from 'jsonc-parser';
import { arrayAt, isObject, objectAt, stringAt, type JsonObject } from '../base/value';
import { readLimits, type PartnerLimits } from './limits';

/**
 * An event streaming manifest's requests: `request` forwards events (the portal's own form); `identify`
 * forwards Identify API calls, a feature Amplitude documents ("Integration Portal",
 * https://amplitude.com/docs/partners/integration-portal; "Create an Event Streaming Integration",
 * https://amplitude.com/docs/partners/create-an-event-streaming-integration) but whose form it does not:
 * the `identify` section is this tool's assumption, shaped like `request`.
 */
export type StreamingRole = 'events' | 'identify';
export const STREAMING_ROLES: readonly StreamingRole[] = ['events', 'identify'];

/** The manifest key holding a role's request. */
export function requestKey(role: StreamingRole): 'request' | 'identify' {
  return role === 'events' ? 'request' : 'identify';
}

/** One request Amplitude sends per event (or identify): the portal's URL endpoint, REST method, headers, body. */
export interface StreamingRequestModel {
  readonly role: StreamingRole;
  /** Where it is written: `["request"]` or `["identify"]`. */
  readonly path: JSONPath;
  /** The URL endpoint, `${parameters.x}` unfilled; undefined when missing or not text. */
  readonly url?: string;
  /** The REST API method as written (PUT, POST or PATCH are the portal's). */
  readonly method?: string;
  /** The headers whose value is text, in the order written. */
  readonly headers: Readonly<Record<string, string>>;
  /** The event body template, as its reference is written (a file relative to the manifest). */
  readonly bodyTemplate?: string;
}

/** A parameter the customer fills in when connecting (display name + parameter name). */
export interface StreamingParameter {
  readonly name: string;
  readonly displayName?: string;
  /** Marked `"secret": true`: kept in SecretStorage and masked. */
  readonly secret: boolean;
  /** Where the entry is written: `["parameters", index]`. */
  readonly path: JSONPath;
}

/** A destination property the customer maps an Amplitude user property to. */
export interface UserPropertyMapping {
  readonly name: string;
  readonly required: boolean;
  /** Where the entry is written: `["userPropertyMappings", index]`. */
  readonly path: JSONPath;
}

/** What an event streaming manifest declares, typed once. Empty parts where the manifest has none. */
export interface StreamingModel {
  /** The requests written, events first: their roles are the roles that exist. */
  readonly requests: readonly StreamingRequestModel[];
  readonly parameters: readonly StreamingParameter[];
  readonly userPropertyMappings: readonly UserPropertyMapping[];
  /** The partner's declared limits (this tool's own `limits` section). */
  readonly limits: PartnerLimits;
}

export const NO_STREAMING: StreamingModel = { requests: [], parameters: [], userPropertyMappings: [], limits: {} };

function textEntries(value: JsonObject | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, text] of Object.entries(value ?? {})) if (typeof text === 'string') out[key] = text;
  return out;
}

function readRequest(root: JsonObject, role: StreamingRole): StreamingRequestModel | undefined {
  const key = requestKey(role);
  const request = objectAt(root, key);
  if (!request) return undefined;
  return {
    role,
    path: [key],
    url: stringAt(request, 'url'),
    method: stringAt(request, 'method'),
    headers: textEntries(objectAt(request, 'headers')),
    bodyTemplate: stringAt(request, 'bodyTemplate'),
  };
}

/** The streaming parts of a manifest's value: tolerant of every shape a half-typed manifest can have. */
export function readStreaming(root: JsonObject): StreamingModel {
  const parameters: StreamingParameter[] = [];
  (arrayAt(root, 'parameters') ?? []).forEach((entry, index) => {
    const name = stringAt(entry, 'name');
    const path = ['parameters', index];
    if (name) parameters.push({ name, displayName: stringAt(entry, 'displayName'), secret: isSecret(entry), path });
  });
  const userPropertyMappings: UserPropertyMapping[] = [];
  (arrayAt(root, 'userPropertyMappings') ?? []).forEach((entry, index) => {
    const name = stringAt(entry, 'name');
    const required = isObject(entry) && entry.required === true;
    if (name) userPropertyMappings.push({ name, required, path: ['userPropertyMappings', index] });
  });
  const requests = STREAMING_ROLES.map((role) => readRequest(root, role)).filter(
    (request): request is StreamingRequestModel => request !== undefined,
  );
  return { requests, parameters, userPropertyMappings, limits: readLimits(objectAt(root, 'limits')) };
}

export function isSecret(entry: unknown): boolean {
  return isObject(entry) && entry.secret === true;
}

/** The request of a role, when the manifest writes one. */
export function streamingRequest(streaming: StreamingModel, role: StreamingRole): StreamingRequestModel | undefined {
  return streaming.requests.find((request) => request.role === role);
}

/** The roles the manifest has a request for (identify only when it declares one). */
export function streamingRoles(streaming: StreamingModel): StreamingRole[] {
  return streaming.requests.map((request) => request.role);
}

/** The streaming body template the manifest names for a role, as its reference says it. */
export function bodyTemplateReference(streaming: StreamingModel, role: StreamingRole = 'events'): string | undefined {
  return streamingRequest(streaming, role)?.bodyTemplate;
}
