import type { JsonObject } from '../base/value';
import type { ManifestKind } from '../manifest/model';
import { predefinedVariable, scanVariablesIn } from '../manifest/variables';
import { replaceCredentials, type CredentialMethod, type CredentialsReplaced } from './credentials';
import { parseCurl, type CurlRequest } from './curl';
import { fromPortalText, type ImportedPayload } from './syntax';

/** What an import gives: a manifest fragment to merge, and what a person should know about it. */
export interface ImportResult {
  fragment: JsonObject;
  notes: string[];
}

/** The payload as the manifest holds it: `payload` (JSON form) or `payloadText` (the portal's text). */
export function payloadEntry(
  imported: ImportedPayload,
  key: 'payload' | 'itemTemplate',
): { entry: JsonObject; note?: string } {
  if (!imported.ok) throw new Error(`The payload is ${imported.problem}.`);
  if (imported.form === 'json') return { entry: { [key]: imported.value } };
  return { entry: { [`${key}Text`]: imported.text }, note: imported.why };
}

const AUTH_HEADER = /^(Bearer|Basic)\s+(.*)$/i;

/**
 * An Authorization header or -u that uses the manifest's own auth variables (literal credentials are
 * already replaced by them) becomes the authentication method; Amplitude builds Bearer and Basic itself.
 */
function authenticationOf(
  request: CurlRequest,
  found: CredentialMethod | undefined,
): { authentication?: JsonObject; consumed: string[] } {
  const header = request.headers.find(([k]) => k.toLowerCase() === 'authorization');
  const m = header ? AUTH_HEADER.exec(header[1]) : null;
  if (request.user !== undefined || found === 'basic' || (m && /^basic$/i.test(m[1])))
    return { authentication: { method: 'basic' }, consumed: m && /^basic$/i.test(m[1]) ? ['authorization'] : [] };
  if (m && /^bearer$/i.test(m[1]) && m[2].trim() === '$bearer_token')
    return { authentication: { method: 'bearer' }, consumed: ['authorization'] };
  const texts = [request.url, ...request.headers.map(([, v]) => v)];
  if (found === 'header' || texts.some((t) => /\$api_key\b/.test(t)))
    return { authentication: { method: 'header' }, consumed: [] };
  return { consumed: [] };
}

/** Variables the request uses that are neither pre-defined nor authentication's: custom fields to declare. */
function undeclaredIn(texts: string[]): string[] {
  const names = new Set<string>();
  for (const text of texts) scanVariablesIn(text, 0, text.length, (name) => names.add(name));
  return [...names].filter((n) => !predefinedVariable(n) && !['api_key', 'api_secret', 'bearer_token'].includes(n));
}

const DROPPED_HEADERS = new Set(['content-length', 'host', 'accept-encoding', 'connection', 'user-agent']);

function cohortFragment(credentials: CredentialsReplaced, endpoint: string): ImportResult {
  const { request } = credentials;
  const notes: string[] = [...credentials.notes];
  const { authentication, consumed } = authenticationOf(request, credentials.method);
  const headers: JsonObject = {};
  for (const [key, value] of request.headers) {
    const lower = key.toLowerCase();
    if (DROPPED_HEADERS.has(lower) || consumed.includes(lower)) continue;
    if (lower === 'content-type' && /application\/json/i.test(value)) continue;
    headers[key] = value;
  }
  const entry: JsonObject = { url: request.url, method: request.method };
  if (request.body !== undefined) {
    const { entry: payload, note } = payloadEntry(fromPortalText(request.body), 'payload');
    Object.assign(entry, payload);
    if (note) notes.push(note);
  }
  const fragment: JsonObject = { endpoints: { [endpoint]: entry } };
  if (authentication) fragment.authentication = authentication;
  if (Object.keys(headers).length > 0) {
    fragment.headers = headers;
    notes.push('Headers go with every call in the portal ("additional headers"), not with one endpoint.');
  }
  const undeclared = undeclaredIn([request.url, request.body ?? '', ...Object.values(headers).map(String)]);
  if (undeclared.length > 0) {
    fragment.customFields = undeclared.map((variable) => ({
      variable,
      displayName: variable,
      type: 'string',
      ...(credentials.secretNames.includes(variable) ? { secret: true } : {}),
    }));
    notes.push(`Declared as custom fields (check their display names): ${undeclared.map((n) => `$${n}`).join(', ')}.`);
  }
  return { fragment, notes };
}

/** The event streaming "Test Payload" cURL: the request, and its body as a starting template. */
function streamingFragment(
  credentials: CredentialsReplaced,
  templateFile: string,
): ImportResult & { template: string } {
  const { request } = credentials;
  const headers: JsonObject = {};
  for (const [key, value] of request.headers) if (!DROPPED_HEADERS.has(key.toLowerCase())) headers[key] = value;
  const fragment: JsonObject = {
    request: { url: request.url, method: request.method, headers, bodyTemplate: templateFile },
  };
  const template =
    "<#-- Imported from a test payload: replace sample values with the event's fields, for example\n" +
    '     "${input.event_type?json_string}" (see the README on escaping). -->\n' +
    (request.body ?? '{}') +
    '\n';
  const parameters = [...`${request.url} ${Object.values(headers).join(' ')}`.matchAll(/\$\{parameters\.(\w+)\}/g)].map(
    (m) => m[1],
  );
  if (parameters.length > 0)
    fragment.parameters = [...new Set(parameters)].map((name) => ({
      name,
      displayName: name,
      ...(credentials.secretNames.includes(name) ? { secret: true } : {}),
    }));
  return { fragment, template, notes: credentials.notes };
}

export type ImportTarget = { kind: ManifestKind; endpoint?: string; templateFile?: string };

/** A cURL command -> the manifest fragment for a cohort endpoint or a streaming request. */
export function importCurl(command: string, target: ImportTarget): ImportResult & { template?: string } {
  const request = parseCurl(command);
  if (target.kind === 'event-streaming')
    return streamingFragment(replaceCredentials(request, 'streaming'), target.templateFile ?? 'body.ftl');
  return cohortFragment(replaceCredentials(request, 'cohort'), target.endpoint ?? 'addUsers');
}
