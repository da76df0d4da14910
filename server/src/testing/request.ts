import type { EndpointModel, EndpointName, ManifestModel } from '../manifest/model';
import { isObject } from '../manifest/value';
import { MEMBERSHIP_VARIABLE, predefinedVariable, slugify } from '../manifest/variables';
import { secretVariableNames, type SampleUser, type TestValues } from './values';

/** One HTTP request exactly as Amplitude would send it. */
export interface BuiltRequest {
  endpoint: EndpointName | 'events';
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Users in this batch (add, remove, update calls). */
  batchSize?: number;
  /** Values that must never be shown: masked in panels, output and cURL. */
  secrets: string[];
}

export class RequestBuildError extends Error {}

const WHOLE_VARIABLE = /^\$([A-Za-z_][A-Za-z0-9_]*)$/;
const VARIABLE = /\$([A-Za-z_][A-Za-z0-9_]*)/g;

type Resolver = (name: string) => unknown;

/** Text substitution: each `$name` becomes its value as text (`encode` for URLs). */
function substituteText(text: string, resolve: Resolver, encode: (s: string) => string = (s) => s): string {
  return text.replace(VARIABLE, (whole, name: string) => {
    const value = resolve(name);
    if (value === undefined) return whole;
    return encode(typeof value === 'string' ? value : JSON.stringify(value));
  });
}

/**
 * The manifest's payload rule: a string that is exactly one variable stands for that variable's JSON
 * value; `$name` inside a longer string is replaced as text. Keys are substituted as text.
 */
export function substituteJson(value: unknown, resolve: Resolver): unknown {
  if (typeof value === 'string') {
    const whole = WHOLE_VARIABLE.exec(value);
    if (whole) {
      const resolved = resolve(whole[1]);
      return resolved === undefined ? value : resolved;
    }
    return substituteText(value, resolve);
  }
  if (Array.isArray(value)) return value.map((v) => substituteJson(v, resolve));
  if (isObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[substituteText(key, resolve)] = substituteJson(v, resolve);
    return out;
  }
  return value;
}

export interface BuildOptions {
  values: TestValues;
  users?: SampleUser[];
  listId?: string;
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
  build(batch: SampleUser[]): BuiltRequest;
}

/**
 * Everything about an endpoint's requests that does not depend on the users (URL, headers, auth,
 * secrets) worked out once; each batch then only builds its items and body. Throws when a test value
 * is missing.
 */
export function createRequestBuilder(
  model: ManifestModel,
  manifest: unknown,
  name: EndpointName,
  options: Omit<BuildOptions, 'users'>,
): RequestBuilder {
  const endpoint = endpointOf(model, name);
  const { values } = options;
  const url = endpoint.value.url;
  const method = endpoint.value.method;
  if (typeof url !== 'string' || typeof method !== 'string')
    throw new RequestBuildError(`The ${name} endpoint needs a url and a method.`);
  const slug = isObject(manifest) && manifest.slugifyCohortName === true;
  const secretValues = new Set<string>();
  const auth = model.authMethod;
  for (const secretName of secretVariableNames(model, manifest))
    if (values.variables[secretName]) secretValues.add(values.variables[secretName]);

  const missing = new Set<string>();
  const baseResolve = (variable: string): unknown => {
    const canonical = predefinedVariable(variable)?.name ?? variable;
    switch (canonical) {
      case 'amp_cohort_name':
        return slug ? slugify(values.cohortName) : values.cohortName;
      case 'amp_cohort_id':
        return values.cohortId;
      case 'amp_cohort_url':
        return values.cohortUrl;
      case MEMBERSHIP_VARIABLE:
        return options.membership ?? true;
      case 'list_id':
        if (options.listId === undefined) missing.add('$list_id (run list creation first, or pass a list id)');
        return options.listId;
      default: {
        const value = values.variables[variable];
        if (value === undefined && variable !== 'items') missing.add(`$${variable}`);
        return value;
      }
    }
  };

  const headers: Record<string, string> = {};
  const manifestHeaders = isObject(manifest) && isObject(manifest.headers) ? manifest.headers : {};
  for (const [key, value] of Object.entries(manifestHeaders))
    if (typeof value === 'string') headers[key] = substituteText(value, baseResolve);
  if (auth === 'basic') {
    headers.Authorization = `Basic ${Buffer.from(`${values.variables.api_key ?? ''}:${values.variables.api_secret ?? ''}`).toString('base64')}`;
    secretValues.add(headers.Authorization.slice('Basic '.length));
  } else if (auth === 'bearer') {
    headers.Authorization = `Bearer ${values.variables.bearer_token ?? ''}`;
  }
  if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
    headers['Content-Type'] = 'application/json';
  const secrets = [...secretValues].filter((v) => v !== '');
  const batchSize =
    typeof endpoint.value.batchSize === 'number' && endpoint.value.batchSize >= 1
      ? Math.min(endpoint.value.batchSize, 10_000)
      : 10_000;
  const itemTemplate = endpoint.value.itemTemplate ?? '$user_id_field_amplitude';
  const builtUrl = substituteText(url, baseResolve, encodeURIComponent);
  // The usual template, one mapping variable ("$user_id_field_amplitude"): each item is that user's value.
  const single = typeof itemTemplate === 'string' ? WHOLE_VARIABLE.exec(itemTemplate)?.[1] : undefined;
  const itemOf = (user: SampleUser): unknown =>
    single !== undefined && user.fields[single] !== undefined
      ? user.fields[single]
      : substituteJson(itemTemplate, (variable) => user.fields[variable] ?? baseResolve(variable));
  const build = (batch: SampleUser[]): BuiltRequest => {
    const items = batch.map(itemOf);
    const body =
      endpoint.value.payload === undefined
        ? ''
        : JSON.stringify(
            substituteJson(endpoint.value.payload, (variable) =>
              variable === 'items' ? items : baseResolve(variable),
            ),
          );
    return {
      endpoint: name,
      method,
      url: builtUrl,
      headers: { ...headers },
      body,
      batchSize: name === 'listCreation' ? undefined : batch.length,
      secrets,
    };
  };
  build([]); // every variable of the call resolved once: missing values surface before anything is sent
  if (missing.size > 0) throw new RequestBuildError(`No test value for ${[...missing].join(', ')}.`);
  return { batchSize, build };
}

/** Builds every request of one endpoint call: one per batch of `batchSize` users (one for list creation). */
export function buildRequests(
  model: ManifestModel,
  manifest: unknown,
  name: EndpointName,
  options: BuildOptions,
): BuiltRequest[] {
  const builder = createRequestBuilder(model, manifest, name, options);
  if (name === 'listCreation') return [builder.build([])];
  const users = options.users ?? [];
  const requests: BuiltRequest[] = [];
  for (let i = 0; i < users.length; i += builder.batchSize)
    requests.push(builder.build(users.slice(i, i + builder.batchSize)));
  return requests.length > 0 ? requests : [builder.build([])];
}

export const MASK = '••••••••';

/** Every secret value replaced by a fixed mask (its length is not shown either). */
export function mask(text: string, secrets: string[]): string {
  let out = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length > 0) out = out.split(secret).join(MASK);
  }
  return out;
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The request as a cURL command; secrets masked unless `withSecrets`. */
export function toCurl(request: BuiltRequest, withSecrets = false): string {
  const hide = (text: string) => (withSecrets ? text : mask(text, request.secrets));
  const parts = [`curl -X ${request.method} ${shellQuote(hide(request.url))}`];
  for (const [key, value] of Object.entries(request.headers)) parts.push(`-H ${shellQuote(`${key}: ${hide(value)}`)}`);
  if (request.body !== '') parts.push(`--data-raw ${shellQuote(hide(request.body))}`);
  return parts.join(' \\\n  ');
}
