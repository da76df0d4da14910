import type { ErrorObject } from 'ajv';
import type { JSONPath } from 'jsonc-parser';
import type { ManifestDiagnostic } from '../base/diagnostic';
import { isObject, stringAt, type JsonObject } from '../base/value';
import type { ManifestDocument } from '../manifest/document';
import { ENDPOINT_TITLES, type EndpointName, type ManifestModel } from '../manifest/model';
import { requestKey, streamingRoles, type StreamingRole } from '../manifest/usage';
import type { ApiDescription } from './description';
import { matchOperation, type OperationMatch } from './operations';

/** One request the manifest makes (a cohort endpoint, the streaming request, identify) and its operation. */
export interface ContractCall {
  role: EndpointName | StreamingRole;
  /** "Add users", "The streaming request". */
  title: string;
  /** The call's object in the manifest: ['endpoints', 'addUsers'], ['request'], ['identify']. */
  path: JSONPath;
  value: JsonObject;
  method: string;
  url: string;
  /** The headers the call sends as the manifest writes them, and where (cohort: top level; streaming: its own). */
  headers: Record<string, string>;
  headersPath: JSONPath;
  match: OperationMatch;
}

/** A body Amplitude would send for a call, parsed, and where its values come from. */
export interface BuiltBody {
  call: ContractCall;
  /** "a batch of 500 users who entered", "the sample event "Add to cart"". */
  label: string;
  body: unknown;
  /** Maps a JSON pointer of the body to where in the manifest its value was written. */
  locate(pointer: string[]): ValueSource;
}

/** Where a value of a built body comes from. */
export interface ValueSource {
  /** The manifest key or value to put a finding on. */
  path: JSONPath;
  /** On the key of `path` (a payload key) rather than its value. */
  onKey: boolean;
  /**
   * literal: written in the manifest as it is sent; variable: a whole-string `$variable`; text: a string with
   * variables inside; rendered: from a body template; unknown: the portal editor's text.
   */
  kind: 'literal' | 'variable' | 'text' | 'rendered' | 'unknown';
  variable?: string;
}

/** One place where a body Amplitude would send breaks the operation's request schema. */
export interface Violation {
  body: BuiltBody;
  error: ErrorObject;
  /** The JSON pointer of the value in the body, split. */
  pointer: string[];
  source: ValueSource;
  value: unknown;
}

export interface ContractContext {
  doc: ManifestDocument;
  model: ManifestModel;
  description: ApiDescription;
  calls: ContractCall[];
  bodies: BuiltBody[];
  violations: Violation[];
  /** The list id's type is known from list creation's documented answer. */
  listIdTyped: boolean;
}

export interface ContractCheck {
  codes: readonly string[];
  run(context: ContractContext): ManifestDiagnostic[];
}

const STREAMING_TITLES: Record<StreamingRole, string> = {
  events: 'The streaming request',
  identify: 'The identify request',
};

function headersAt(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObject(value)) return out;
  for (const [key, v] of Object.entries(value)) if (typeof v === 'string') out[key] = v;
  return out;
}

/** Every call of the manifest that has a URL, matched to the description's operations. */
export function contractCalls(
  doc: ManifestDocument,
  model: ManifestModel,
  description: ApiDescription,
): ContractCall[] {
  const calls: ContractCall[] = [];
  const topHeaders = headersAt(isObject(doc.value) ? doc.value.headers : undefined);
  for (const endpoint of model.endpoints) {
    const url = stringAt(endpoint.value, 'url');
    const method = stringAt(endpoint.value, 'method');
    if (url === undefined || method === undefined) continue;
    calls.push({
      role: endpoint.name,
      title: ENDPOINT_TITLES[endpoint.name],
      path: endpoint.path,
      value: endpoint.value,
      method: method.toUpperCase(),
      url,
      headers: topHeaders,
      headersPath: ['headers'],
      match: matchOperation(description, method, url),
    });
  }
  for (const role of model.kind === 'event-streaming' ? streamingRoles(doc.value) : []) {
    const key = requestKey(role);
    const value = isObject(doc.value) ? doc.value[key] : undefined;
    const url = stringAt(value, 'url');
    if (!isObject(value) || url === undefined) continue;
    const method = (stringAt(value, 'method') ?? 'POST').toUpperCase();
    calls.push({
      role,
      title: STREAMING_TITLES[role],
      path: [key],
      value,
      method,
      url,
      headers: headersAt(value.headers),
      headersPath: [key, 'headers'],
      match: matchOperation(description, method, url),
    });
  }
  return calls;
}
