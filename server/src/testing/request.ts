import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { ownValue } from '../base/records';
import { unavailableAt } from '../manifest/availability';
import {
  declaredVariableNames,
  type EndpointModel,
  type EndpointName,
  type ManifestModel,
  type UsePart,
} from '../manifest/model';
import { MEMBERSHIP_VARIABLE, predefinedVariable, slugify } from '../manifest/variables';
import {
  compileJson,
  compilePortalText,
  compileText,
  encodeJsonText,
  fill,
  holesOf,
  RawJson,
  type Hole,
  type Piece,
} from './payload';
import { ENDPOINT_METHODS, methodProblem } from './method';
import { secretVariableNames, type SampleUser, type TestValues } from './values';

/** One HTTP request exactly as Amplitude would send it. */
export interface BuiltRequest {
  endpoint: EndpointName | 'events' | 'identify';
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Users in this batch (add, remove, update calls). */
  batchSize?: number;
  /** Values that must never be shown: masked in panels, output and cURL. */
  secrets: string[];
  /** What to know before trusting the answer (a rendered body that is not valid JSON). */
  notes?: string[];
}

export class RequestBuildError extends Error {}

export interface BuildOptions {
  values: TestValues;
  users?: SampleUser[];
  /** The list id as list creation returned it: a number stays a number in a payload. */
  listId?: unknown;
  /** Property-based update calls: the users entered (true, the default) or left (false) the cohort. */
  membership?: boolean;
}

function endpointOf(model: ManifestModel, name: EndpointName): EndpointModel {
  const endpoint = model.endpoints.find((e) => e.name === name);
  if (!endpoint) throw new RequestBuildError(`The manifest has no "${name}" endpoint.`);
  return endpoint;
}

/** Builds every request of one endpoint call: one per batch of `batchSize` users (one for list creation). */
export interface RequestBuilder {
  /** Users per request: the endpoint's batch size (default and maximum 10,000). */
  batchSize: number;
  /** The request for one batch of users (none for list creation). */
  build(batch: readonly SampleUser[]): BuiltRequest;
}

interface CompiledPart {
  part: UsePart;
  pieces: Piece[];
}

/** The call's URL, headers, payload and item template, compiled once. */
interface CompiledCall {
  url: Piece[];
  headers: [string, Piece[]][];
  payload: Piece[] | undefined;
  itemTemplate: Piece[];
  /** The item template is one mapping variable: each item is that user's value (the usual case, kept fast). */
  singleItemVariable: string | undefined;
  /** Payload or item template in the portal editor's text: the body is checked to be JSON. */
  portalText: boolean;
}

function compileCall(model: ManifestModel, endpoint: EndpointModel, declared: ReadonlySet<string>): CompiledCall {
  const url = endpoint.url;
  if (url === undefined) throw new RequestBuildError(`The ${endpoint.name} endpoint needs a url.`);
  const headers: [string, Piece[]][] = [];
  for (const [key, value] of Object.entries(model.cohort.headers)) headers.push([key, compileText(value, declared)]);
  const template = endpoint.itemTemplate ?? '$user_id_field_amplitude';
  const { payloadText, itemTemplateText } = endpoint;
  let payload: Piece[] | undefined;
  if (typeof payloadText === 'string') payload = compilePortalText(payloadText, declared);
  else if (endpoint.payload !== undefined) payload = compileJson(endpoint.payload, declared);
  return {
    url: compileText(url, declared),
    headers,
    payload,
    itemTemplate:
      typeof itemTemplateText === 'string'
        ? compilePortalText(itemTemplateText, declared)
        : compileJson(template, declared),
    portalText: typeof payloadText === 'string' || typeof itemTemplateText === 'string',
    singleItemVariable:
      typeof itemTemplateText !== 'string' && typeof template === 'string'
        ? /^\$([A-Za-z_][A-Za-z0-9_]*)$/.exec(template)?.[1]
        : undefined,
  };
}

/**
 * Every reason this call cannot be built, before anything is sent: undeclared names, pre-defined
 * names used where they have no value, and missing test values. Validation reports the first two as
 * errors (the same rules, manifest/variables.ts and manifest/availability.ts).
 */
function problemsOf(
  parts: CompiledPart[],
  context: { model: ManifestModel; endpoint: EndpointName; mappingFields: ReadonlySet<string> },
  valueOf: (hole: Hole, part: UsePart) => unknown,
): string[] {
  const problems = new Set<string>();
  for (const { part, pieces } of parts) {
    for (const hole of holesOf(pieces)) {
      if (hole.undeclared) {
        problems.add(`$${hole.name} is not declared (run "validate")`);
        continue;
      }
      const site = { kind: context.model.kind, endpoint: part === 'header' ? undefined : context.endpoint, part };
      const unavailable = unavailableAt(hole.name, site, context.mappingFields);
      if (unavailable) problems.add(unavailable.message);
      else if (part !== 'itemTemplate' && valueOf(hole, part) === undefined)
        problems.add(`no test value for $${hole.name}`);
    }
  }
  return [...problems];
}

function authorization(model: ManifestModel, values: TestValues): { header?: string; secret?: string } {
  const variable = (name: string) => ownValue(values.variables, name) ?? '';
  if (model.authMethod === 'basic') {
    const token = Buffer.from(`${variable('api_key')}:${variable('api_secret')}`).toString('base64');
    return { header: `Basic ${token}`, secret: token };
  }
  if (model.authMethod === 'bearer') return { header: `Bearer ${variable('bearer_token')}` };
  return {};
}

/** The value of each `$variable` hole in a call, from the test values and the sync's state. */
function holeValues(model: ManifestModel, options: Omit<BuildOptions, 'users'>): (hole: Hole) => unknown {
  const { values } = options;
  const slug = model.cohort.slugifyCohortName;
  return (hole) => {
    switch (predefinedVariable(hole.name)?.name) {
      case 'amp_cohort_name':
        return slug ? slugify(values.cohortName) : values.cohortName;
      case 'amp_cohort_id':
        return values.cohortId;
      case 'amp_cohort_url':
        return values.cohortUrl;
      case MEMBERSHIP_VARIABLE:
        return options.membership ?? true;
      case 'list_id':
        return options.listId;
      case 'items':
        return new RawJson('[]');
      default:
        return ownValue(values.variables, hole.name);
    }
  };
}

const NO_LIST_ID = 'no test value for $list_id';

/** Every value the call needs and does not have, named; throws when there is any. */
function assertBuildable(
  call: CompiledCall,
  context: { model: ManifestModel; endpoint: EndpointName; mappingFields: ReadonlySet<string> },
  valueOf: (hole: Hole) => unknown,
  listId: unknown,
): void {
  const usesItems = call.payload && holesOf(call.payload).some((h) => predefinedVariable(h.name)?.name === 'items');
  const parts: CompiledPart[] = [
    { part: 'url', pieces: call.url },
    ...call.headers.map(([, pieces]): CompiledPart => ({ part: 'header', pieces })),
    ...(call.payload ? [{ part: 'payload' as const, pieces: call.payload }] : []),
    ...(usesItems ? [{ part: 'itemTemplate' as const, pieces: call.itemTemplate }] : []),
  ];
  const problems = problemsOf(parts, context, valueOf);
  if (listId === undefined && problems.includes(NO_LIST_ID)) {
    problems.splice(problems.indexOf(NO_LIST_ID), 1, 'no list id for $list_id: run list creation first, or pass one');
  }
  if (problems.length > 0) {
    throw new RequestBuildError(`The ${context.endpoint} request cannot be built: ${problems.join('; ')}.`);
  }
}

function headersOf(call: CompiledCall, valueOf: (hole: Hole) => unknown, authHeader: string | undefined) {
  const headers: Record<string, string> = {};
  for (const [key, pieces] of call.headers) headers[key] = fill(pieces, valueOf, (s) => s);
  if (authHeader) headers.Authorization = authHeader;
  if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
    headers['Content-Type'] = 'application/json';
  return headers;
}

function batchSizeOf(endpoint: EndpointModel): number {
  const size = endpoint.batchSize;
  return size !== undefined && size >= 1 ? Math.min(Math.floor(size), 10_000) : 10_000;
}

/**
 * Everything about an endpoint's requests that does not depend on the users (URL, headers, auth,
 * secrets) worked out once; each batch then only renders its items and fills the payload. Throws,
 * naming every problem, when the call cannot be built.
 */
export function createRequestBuilder(
  model: ManifestModel,
  name: EndpointName,
  options: Omit<BuildOptions, 'users'>,
): RequestBuilder {
  const endpoint = endpointOf(model, name);
  const method = endpoint.method;
  if (method === undefined) throw new RequestBuildError(`The ${name} endpoint needs a method.`);
  const badMethod = methodProblem(method, ENDPOINT_METHODS);
  if (badMethod) throw new RequestBuildError(`The ${name} endpoint: ${badMethod}`);
  const declared = declaredVariableNames(model);
  const mappingFields = new Set(model.declarations.filter((d) => d.source === 'mappingField').map((d) => d.name));
  const call = compileCall(model, endpoint, declared);
  const valueOf = holeValues(model, options);
  assertBuildable(call, { model, endpoint: name, mappingFields }, valueOf, options.listId);

  const secrets = secretsOf(model, options.values);
  const auth = authorization(model, options.values);
  if (auth.secret) secrets.push(auth.secret);
  const headers = headersOf(call, valueOf, auth.header);
  const url = fill(call.url, valueOf, encodeURIComponent);
  const renderItems = itemRenderer(call, valueOf, mappingFields);
  const payloadValue = (items: RawJson) => (hole: Hole) =>
    predefinedVariable(hole.name)?.name === 'items' ? items : valueOf(hole);

  const build = (batch: readonly SampleUser[]): BuiltRequest => {
    const resolve = payloadValue(renderItems(batch));
    const body = call.payload ? fill(call.payload, resolve, encodeJsonText) : '';
    // The portal editor's text is JSON only once filled: a custom field typed as "abc" where a number goes is not.
    if (call.portalText)
      checkFilledJson(name, { body, pieces: call.payload ?? [], resolve }, batch.length > 0 ? batch : undefined);
    const batchSize = name === 'listCreation' ? undefined : batch.length;
    return { endpoint: name, method, url, headers: { ...headers }, body, batchSize, secrets };
  };
  if (call.portalText) build([]); // a payload that is not JSON once filled is refused before anything is sent
  return { batchSize: batchSizeOf(endpoint), build };
}

function secretsOf(model: ManifestModel, values: TestValues): string[] {
  const secrets = new Set<string>();
  for (const secretName of secretVariableNames(model)) {
    const value = ownValue(values.variables, secretName);
    if (value) secrets.add(value);
  }
  return [...secrets];
}

/**
 * Where filled JSON breaks, told without quoting it (the filled text holds the values, secrets among them):
 * the variable whose value broke it, or the template's own text there. jsonc-parser gives the offset and
 * kind of the first error; JSON.parse's message would quote the filled text.
 */
function whereJsonBreaks(pieces: readonly Piece[], resolve: (hole: Hole) => unknown, body: string): string {
  const errors: ParseError[] = [];
  parseJsonc(body, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (!first) return 'not valid JSON';
  const kind = printParseErrorCode(first.error);
  let at = 0;
  for (const piece of pieces) {
    const length = fill([piece], resolve, encodeJsonText).length;
    const end = at + length;
    if (typeof piece !== 'string' && first.offset >= at && first.offset <= end)
      return `${kind} in the value of $${piece.name}`;
    if (typeof piece === 'string' && first.offset < end) {
      const from = first.offset - at;
      return `${kind} at ${JSON.stringify(piece.slice(Math.max(0, from - 20), from + 20))} in the template`;
    }
    at = end;
  }
  return `${kind} at the end`;
}

function checkFilledJson(
  name: EndpointName,
  filled: { body: string; pieces: readonly Piece[]; resolve: (hole: Hole) => unknown },
  batch: unknown,
): void {
  try {
    JSON.parse(filled.body);
  } catch {
    const forBatch = batch === undefined ? '' : ' for this batch';
    const where = whereJsonBreaks(filled.pieces, filled.resolve, filled.body);
    throw new RequestBuildError(
      `The ${name} payload is not JSON once its variables have values${forBatch} (${where}): ` +
        'a bare variable in payloadText is replaced by its text as it is, so a text value needs quotes around it.',
    );
  }
}

/**
 * The batch as JSON text: each user rendered through the item template, the array built once. A user
 * without a value for a mapping field the template uses (a CSV without that column) stops the build.
 */
function itemRenderer(
  call: CompiledCall,
  valueOf: (hole: Hole) => unknown,
  mappingFields: ReadonlySet<string>,
): (batch: readonly SampleUser[]) => RawJson {
  const single = call.singleItemVariable;
  const userValue = (user: SampleUser, hole: Hole): unknown => {
    const own = ownValue(user.fields, hole.name);
    if (own !== undefined) return own;
    if (mappingFields.has(hole.name)) {
      throw new RequestBuildError(
        `A user has no value for the mapping field $${hole.name} (a CSV needs a "${hole.name}" column).`,
      );
    }
    return valueOf(hole);
  };
  const rendered = (user: SampleUser) => fill(call.itemTemplate, (hole) => userValue(user, hole), encodeJsonText);
  return (batch) => {
    // The usual case, each item one mapping field's value: the batch's values as one JSON array, in one call.
    if (single !== undefined) {
      const values = batch.map((user) => ownValue(user.fields, single));
      if (!values.includes(undefined)) return new RawJson(JSON.stringify(values));
    }
    return new RawJson(`[${batch.map(rendered).join(',')}]`);
  };
}

/** Builds every request of one endpoint call: one per batch of `batchSize` users (one for list creation). */
export function buildRequests(model: ManifestModel, name: EndpointName, options: BuildOptions): BuiltRequest[] {
  const builder = createRequestBuilder(model, name, options);
  if (name === 'listCreation') return [builder.build([])];
  const users = options.users ?? [];
  const requests: BuiltRequest[] = [];
  for (let i = 0; i < users.length; i += builder.batchSize)
    requests.push(builder.build(users.slice(i, i + builder.batchSize)));
  return requests.length > 0 ? requests : [builder.build([])];
}
