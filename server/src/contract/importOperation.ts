import { parse } from 'jsonc-parser';
import { isObject, type JsonObject } from '../base/value';
import type { ManifestKind } from '../manifest/model';
import { predefinedVariable } from '../manifest/variables';
import type { ApiDescription, ApiOperation, ApiSecurityScheme } from './description';
import { payloadSkeleton, type UserRole } from './skeleton';
import { templateSkeleton } from './templateSkeleton';
import { successResponses } from './responses';
import { asSchema, propertiesOf, typesOf } from './schemaPaths';

/**
 * `import --api-description spec --operation <operationId | "METHOD /path">`: one operation of the partner's
 * API description becomes a manifest endpoint: the URL (server + path, `{param}` as the manifest's variables),
 * the method, the authentication the security scheme asks for and its header, a payload skeleton from the
 * request schema (`$items` at the array of users, the item template from its items), the batch size from
 * its maxItems, and for list creation the listIdPath where the 2xx answer has the id. Pure.
 */

export const ENDPOINT_ROLES = ['listCreation', 'addUsers', 'removeUsers', 'update', 'events', 'identify'] as const;
export type EndpointRole = (typeof ENDPOINT_ROLES)[number];

export interface ManifestContext {
  kind?: ManifestKind;
  customFields: string[];
  mappingFields: string[];
  parameters: string[];
}

type ImportContext = ManifestContext & { servers: Map<string, string>; templateFile?: string };

export interface OperationImport {
  role: EndpointRole;
  operation: ApiOperation;
  /** The manifest fragment: `endpoints.<role>` (and `authentication`, `headers`), or `request`/`identify`. */
  fragment: JsonObject;
  /** A streaming body template to write beside the manifest. */
  template?: { file: string; text: string };
  notes: string[];
}

function names(list: unknown, key: string): string[] {
  return Array.isArray(list) ? list.flatMap((x) => (isObject(x) && typeof x[key] === 'string' ? [x[key]] : [])) : [];
}

/** What an import needs to know of the manifest it goes into: its kind and the variables it declares. */
export function manifestContext(text: string | undefined): ManifestContext {
  const value: unknown = text === undefined ? undefined : parse(text, [], { allowTrailingComma: true });
  if (!isObject(value)) return { customFields: [], mappingFields: [], parameters: [] };
  const kind = typeof value.kind === 'string' ? (value.kind as ManifestKind) : undefined;
  return {
    kind,
    customFields: names(value.customFields, 'variable'),
    mappingFields: names(value.mappingFields, 'variable'),
    parameters: names(value.parameters, 'name'),
  };
}

/** The operation an `--operation` names: its operationId, or `METHOD /path` as the description spells it. */
export function findOperation(description: ApiDescription, reference: string): ApiOperation | string {
  const wanted = reference.trim();
  const byId = description.operations.find((o) => o.operationId === wanted);
  if (byId) return byId;
  const m = /^([A-Za-z]+)\s+(\S+)$/.exec(wanted);
  const byPath = m && description.operations.find((o) => o.method === m[1].toUpperCase() && o.path === m[2]);
  if (byPath) return byPath;
  const known = description.operations.map((o) => o.operationId ?? `${o.method} ${o.path}`);
  return `${description.file} has no operation "${wanted}". It has: ${known.join(', ') || 'none'}.`;
}

/** The role when the manifest's kind leaves one choice; otherwise `--role` must say. */
function roleFor(kind: ManifestKind | undefined, given: EndpointRole | undefined): EndpointRole | undefined {
  if (given) return given;
  if (kind === 'cohort-property') return 'update';
  if (kind === 'event-streaming') return 'events';
  return undefined;
}

const NO_ROLE =
  'Say which endpoint this operation is with --role (listCreation, addUsers, removeUsers, update, events or ' +
  'identify), or name a property-based or streaming manifest with --into.';

const streaming = (role: EndpointRole) => role === 'events' || role === 'identify';

/** The path parameter that holds the list: in add and remove, the last one the manifest does not declare. */
function listParameter(op: ApiOperation, role: EndpointRole, ctx: ImportContext): string | undefined {
  if (role !== 'addUsers' && role !== 'removeUsers') return undefined;
  const params = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).filter((p) => !ctx.customFields.includes(p));
  return params[params.length - 1];
}

/** Each server's URL as the description writes it (`https://{dc}.api.example.com`), by its expanded form. */
export function serverTemplates(document: unknown): Map<string, string> {
  const out = new Map<string, string>();
  const add = (servers: unknown) => {
    if (!Array.isArray(servers)) return;
    for (const server of servers) {
      if (!isObject(server) || typeof server.url !== 'string') continue;
      const variables = isObject(server.variables) ? server.variables : {};
      const expanded = server.url.replace(/\{([^}]+)\}/g, (whole, name: string) => {
        const v = variables[name];
        return isObject(v) && typeof v.default === 'string' ? v.default : whole;
      });
      if (expanded !== server.url) out.set(expanded.replace(/\/+$/, ''), server.url.replace(/\/+$/, ''));
    }
  };
  if (!isObject(document)) return out;
  add(document.servers);
  for (const item of Object.values(isObject(document.paths) ? document.paths : {}))
    if (isObject(item)) for (const value of [item, ...Object.values(item)]) if (isObject(value)) add(value.servers);
  return out;
}

/** A parameter named like a pre-defined variable (a Mailchimp audience's {list_id}) gets a name of its own. */
function ownName(name: string, listParam: string | undefined): string {
  const clean = name.replace(/[^A-Za-z0-9_]/g, '_');
  return clean !== listParam && predefinedVariable(clean) ? `partner_${clean}` : clean;
}

const USER_PARAMETER = /^(identifier|user_?id|customer_?id|distinct_?id|external_?id|person_?id)$/i;

function urlOf(op: ApiOperation, role: EndpointRole, ctx: ImportContext, notes: string[]): string {
  const listParam = listParameter(op, role, ctx);
  const expanded = (op.servers.find((s) => /^https:/i.test(s)) ?? op.servers[0] ?? '').replace(/\/+$/, '');
  const server = ctx.servers.get(expanded) ?? expanded;
  if (op.servers.length > 1)
    notes.push(
      `The description lists ${op.servers.length} servers; this took ${server}: ` +
        'make the host a variable if customers choose.',
    );
  if (!/^https?:\/\//i.test(server))
    notes.push('The description names no absolute server: put your API\'s "https://host" in front of the URL.');
  const undeclared = new Set<string>();
  const variable = (raw: string): string => {
    if (raw === listParam) return '$list_id';
    if (streaming(role) && USER_PARAMETER.test(raw)) {
      notes.push(`The path's {${raw}} is the user: the event's user id (or device id), URL-encoded.`);
      return '${(input.user_id!input.device_id!"")?url}';
    }
    const name = ownName(raw, listParam);
    const known = streaming(role) ? ctx.parameters.includes(name) : ctx.customFields.includes(name);
    if (!known) undeclared.add(name);
    return streaming(role) ? `\${parameters.${name}}` : `$${name}`;
  };
  const url = `${server}${op.path}`.replace(/\{([^}]+)\}/g, (_, raw: string) => variable(raw)) + queryOf(op, variable);
  if (listParam) notes.push(`The path's {${listParam}} is the list: $list_id, the id list creation answered.`);
  if (undeclared.size > 0) {
    const what = streaming(role) ? 'parameters' : 'custom fields';
    notes.push(`Declare these as ${what} (the URL uses them): ${[...undeclared].join(', ')}.`);
  }
  return url;
}

/** The query parameters the operation requires (credentials apart): a documented fixed value, else a variable. */
function queryOf(op: ApiOperation, variable: (name: string) => string): string {
  const keys = new Set(op.security.flat().flatMap((s) => (s.type === 'apiKey' && s.in === 'query' ? [s.name] : [])));
  const pairs = op.parameters
    .filter((p) => p.in === 'query' && p.required && !keys.has(p.name))
    .map((p) => {
      const schema = asSchema(p.schema) ?? {};
      const fixed: unknown =
        schema.default ?? (Array.isArray(schema.enum) && schema.enum.length === 1 ? schema.enum[0] : undefined);
      const value = typeof fixed === 'string' || typeof fixed === 'number' ? String(fixed) : variable(p.name);
      return `${encodeURIComponent(p.name)}=${value}`;
    });
  return pairs.length > 0 ? `?${pairs.join('&')}` : '';
}

interface AuthPart {
  authentication?: JsonObject;
  headers: JsonObject;
  query: string[];
}

/** The first security alternative as the manifest says it: the method, and the header or query it fills. */
function authOf(op: ApiOperation, role: EndpointRole, ctx: ImportContext, notes: string[]): AuthPart {
  const out: AuthPart = { headers: {}, query: [] };
  const [alternative] = op.security;
  if (!alternative || alternative.length === 0) {
    if (!streaming(role)) out.authentication = { method: 'none' };
    return out;
  }
  const key = streaming(role) ? `\${parameters.${keyParameter(ctx)}}` : '$api_key';
  for (const scheme of alternative) schemeInto(scheme, role, key, out, notes);
  if (op.security.length > 1) notes.push('The operation accepts other credentials too; this took the first kind.');
  return out;
}

function keyParameter(ctx: ManifestContext): string {
  return ctx.parameters.find((p) => /key|token|secret/i.test(p)) ?? 'api_key';
}

function schemeInto(scheme: ApiSecurityScheme, role: EndpointRole, key: string, out: AuthPart, notes: string[]): void {
  const cohort = !streaming(role);
  if (scheme.type === 'apiKey') {
    if (cohort) out.authentication = { method: 'header' };
    if (scheme.in === 'header') out.headers[scheme.name] = key;
    else if (scheme.in === 'query') out.query.push(`${encodeURIComponent(scheme.name)}=${key}`);
    else notes.push(`${scheme.id} takes the key in a cookie (${scheme.name}), which Amplitude cannot send.`);
    return;
  }
  if (scheme.type === 'http' && scheme.scheme === 'bearer') {
    if (cohort) out.authentication = { method: 'bearer' };
    else out.headers.Authorization = `Bearer ${key}`;
    return;
  }
  if (scheme.type === 'http' && scheme.scheme === 'basic') {
    if (cohort) out.authentication = { method: 'basic' };
    else notes.push('The API wants HTTP Basic: a template cannot encode it; put the encoded value in a parameter.');
    return;
  }
  notes.push(`${scheme.id} is ${scheme.type}, which Amplitude does not offer (no OAuth): ask for an API key instead.`);
}

/** Header parameters the operation requires, with the value the description gives (its default or enum). */
function requiredHeaders(op: ApiOperation, notes: string[]): JsonObject {
  const headers: JsonObject = {};
  for (const p of op.parameters.filter((x) => x.in === 'header' && x.required)) {
    const schema = asSchema(p.schema) ?? {};
    const listed: unknown = Array.isArray(schema.enum) ? schema.enum[0] : undefined;
    const fixed: unknown = schema.default ?? listed ?? schema.example;
    if (typeof fixed === 'string') headers[p.name] = fixed;
    else headers[p.name] = fixed === undefined ? '' : JSON.stringify(fixed);
    if (fixed === undefined) notes.push(`The ${p.name} header is required: fill in its value.`);
  }
  const type = op.requestBody?.contentType;
  if (type) headers['Content-Type'] = type;
  return headers;
}

/** Where list creation's 2xx answer has the list id: the shallowest scalar `id`/`listId`, as a dotted path. */
export function listIdPathOf(op: ApiOperation): string | undefined {
  const answers = successResponses(op.responses);
  for (const answer of answers) {
    let level: [string[], unknown][] = [[[], answer.schema]];
    for (let depth = 0; depth < 4 && level.length > 0; depth++) {
      const next: [string[], unknown][] = [];
      for (const [path, schema] of level)
        for (const [key, property] of propertiesOf(schema)) {
          const scalar = typesOf(property).some((t) => t === 'string' || t === 'integer' || t === 'number');
          if (scalar && /^((list|segment|audience|group)_?)?id$/i.test(key)) return [...path, key].join('.');
          next.push([[...path, key], property]);
        }
      level = next;
    }
  }
  return undefined;
}

function cohortEndpoint(op: ApiOperation, role: UserRole, ctx: ImportContext, notes: string[]): JsonObject {
  const auth = authOf(op, role, ctx, notes);
  let url = urlOf(op, role, ctx, notes);
  if (auth.query.length > 0) url += `${url.includes('?') ? '&' : '?'}${auth.query.join('&')}`;
  const skeleton = payloadSkeleton(op.requestBody?.schema, {
    role,
    customFields: ctx.customFields,
    userVariable: ctx.mappingFields[0],
  });
  const endpoint: JsonObject = { url, method: op.method };
  if (skeleton.payload !== undefined && op.requestBody) endpoint.payload = skeleton.payload;
  if (role === 'listCreation') {
    const listIdPath = listIdPathOf(op);
    if (listIdPath) endpoint.listIdPath = listIdPath;
    else notes.push("The 2xx answer documents no id: set listIdPath to where your API's answer has it.");
  } else if (skeleton.itemsPath) {
    endpoint.batchSize = Math.min(skeleton.maxItems ?? 10_000, 10_000);
    if (skeleton.membershipAsText) {
      endpoint.itemTemplateText = JSON.stringify(skeleton.itemTemplate);
      notes.push('The API takes the membership as a string: the item template is text, so it is sent as "true".');
    } else endpoint.itemTemplate = skeleton.itemTemplate;
    const mapping = [...JSON.stringify(skeleton.itemTemplate).matchAll(/\$([A-Za-z0-9_]+_field_amplitude)/g)]
      .map((m) => m[1])
      .filter((v) => !ctx.mappingFields.includes(v));
    if (mapping.length > 0)
      notes.push(
        `Declare a mapping field for ${[...new Set(mapping)].map((v) => `$${v}`).join(', ')}: users are sent by it.`,
      );
    if (skeleton.maxItems === undefined)
      notes.push('The description gives no maxItems for the users: batchSize is the portal default, 10,000.');
  } else notes.push('The request schema has no array for the users: put "$items" where your API takes them.');
  if (skeleton.toFill.length > 0) notes.push(`Fill in: ${skeleton.toFill.join(', ')}.`);
  const headers = { ...requiredHeaders(op, notes), ...auth.headers };
  const contentType = headers['Content-Type'];
  if (typeof contentType === 'string' && /^application\/json$/i.test(contentType)) delete headers['Content-Type'];
  const fragment: JsonObject = { endpoints: { [role]: endpoint } };
  if (auth.authentication) fragment.authentication = auth.authentication;
  if (Object.keys(headers).length > 0) fragment.headers = headers;
  return fragment;
}

function streamingRequest(op: ApiOperation, role: 'events' | 'identify', ctx: ImportContext, notes: string[]) {
  const auth = authOf(op, role, ctx, notes);
  let url = urlOf(op, role, ctx, notes);
  if (auth.query.length > 0) url += `${url.includes('?') ? '&' : '?'}${auth.query.join('&')}`;
  const named = (op.operationId ?? role).replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
  const file = ctx.templateFile ?? `${named || role}.ftl`;
  const title = `${op.method} ${op.path}${op.summary ? ` (${op.summary})` : ''}`;
  const template = templateSkeleton(op.requestBody?.schema, { role, parameters: ctx.parameters }, title);
  notes.push(...template.notes);
  if (template.toFill.length > 0) notes.push(`Fill in, in ${file}: ${template.toFill.join(', ')}.`);
  const headers: JsonObject = { 'Content-Type': op.requestBody?.contentType ?? 'application/json' };
  Object.assign(headers, requiredHeaders(op, notes), auth.headers);
  const fragment: JsonObject = {
    [role === 'events' ? 'request' : 'identify']: { url, method: op.method, headers, bodyTemplate: file },
  };
  return { fragment, template: { file, text: template.text } };
}

export interface ImportOptions {
  role?: EndpointRole;
  /** The text of the manifest the endpoint goes into, for its kind and declared variables. */
  manifest?: string;
  /** The streaming body template's file name (bodyTemplate). */
  templateFile?: string;
}

/** One operation -> the manifest fragment for its endpoint, with what a person should check. */
export function importOperation(
  description: ApiDescription,
  reference: string,
  options: ImportOptions = {},
): OperationImport | { problem: string } {
  const operation = findOperation(description, reference);
  if (typeof operation === 'string') return { problem: operation };
  const ctx: ImportContext = {
    ...manifestContext(options.manifest),
    servers: serverTemplates(description.document),
    templateFile: options.templateFile,
  };
  const chosen = roleFor(ctx.kind, options.role);
  if (!chosen) return { problem: NO_ROLE };
  const notes: string[] = [];
  if (chosen === 'events' || chosen === 'identify') {
    const { fragment, template } = streamingRequest(operation, chosen, ctx, notes);
    return { role: chosen, operation, fragment, template, notes };
  }
  return { role: chosen, operation, fragment: cohortEndpoint(operation, chosen, ctx, notes), notes };
}
