import { isObject, type JsonObject } from '../base/value';
import type {
  ApiOperation,
  ApiParameter,
  ApiRequestBody,
  ApiResponse,
  ApiSecurityRequirement,
  ApiSecurityScheme,
  JsonSchema,
} from './description';

/** OpenAPI 3.x and Swagger 2.0 documents (already dereferenced) as the same operations. */

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

const objects = (value: unknown): JsonObject[] => (Array.isArray(value) ? value.filter(isObject) : []);
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const schemaOf = (value: unknown): JsonSchema | undefined =>
  isObject(value) || typeof value === 'boolean' ? value : undefined;

function serverUrls(value: unknown): string[] | undefined {
  const urls = objects(value)
    .map((server) => expandServer(server))
    .filter((u): u is string => u !== undefined);
  return urls.length > 0 ? urls : undefined;
}

/** `https://{region}.api.example.com/v3` with each variable at its default. */
function expandServer(server: JsonObject): string | undefined {
  const url = text(server.url);
  if (url === undefined) return undefined;
  const variables = isObject(server.variables) ? server.variables : {};
  return url.replace(/\{([^}]+)\}/g, (whole, name: string) => {
    const variable = variables[name];
    return isObject(variable) && typeof variable.default === 'string' ? variable.default : whole;
  });
}

function parameters(pathLevel: unknown, operationLevel: unknown): JsonObject[] {
  const byKey = new Map<string, JsonObject>();
  for (const p of [...objects(pathLevel), ...objects(operationLevel)]) byKey.set(`${text(p.in)}:${text(p.name)}`, p);
  return [...byKey.values()];
}

function parameterOf(p: JsonObject, swagger: boolean): ApiParameter | undefined {
  const where = p.in;
  if (where !== 'path' && where !== 'query' && where !== 'header' && where !== 'cookie') return undefined;
  const name = text(p.name);
  if (name === undefined) return undefined;
  const schema = swagger ? swaggerParameterSchema(p) : schemaOf(p.schema);
  return { name, in: where, required: p.required === true || where === 'path', ...(schema ? { schema } : {}) };
}

/** Swagger 2.0 puts a non-body parameter's schema on the parameter itself. */
function swaggerParameterSchema(p: JsonObject): JsonSchema | undefined {
  if (typeof p.type !== 'string') return undefined;
  const keys = ['type', 'format', 'items', 'enum', 'minimum', 'maximum', 'pattern', 'maxLength', 'minLength'];
  const schema: JsonObject = {};
  for (const key of keys) if (p[key] !== undefined) schema[key] = p[key];
  return schema;
}

function securitySchemes(components: unknown): Map<string, ApiSecurityScheme> {
  const schemes = new Map<string, ApiSecurityScheme>();
  if (!isObject(components)) return schemes;
  for (const [id, raw] of Object.entries(components)) {
    if (!isObject(raw)) continue;
    const scheme = schemeOf(id, raw);
    if (scheme) schemes.set(id, scheme);
  }
  return schemes;
}

function schemeOf(id: string, raw: JsonObject): ApiSecurityScheme | undefined {
  if (raw.type === 'apiKey' && typeof raw.name === 'string') {
    if (raw.in === 'header' || raw.in === 'query' || raw.in === 'cookie')
      return { type: 'apiKey', name: raw.name, in: raw.in, id };
  }
  if (raw.type === 'http' && typeof raw.scheme === 'string')
    return { type: 'http', scheme: raw.scheme.toLowerCase(), id };
  // Swagger 2.0
  if (raw.type === 'basic') return { type: 'http', scheme: 'basic', id };
  if (raw.type === 'oauth2' || raw.type === 'openIdConnect') return { type: raw.type, id };
  return undefined;
}

function security(value: unknown, schemes: Map<string, ApiSecurityScheme>): ApiSecurityRequirement[] {
  if (!Array.isArray(value)) return [];
  const out: ApiSecurityRequirement[] = [];
  for (const alternative of value) {
    if (!isObject(alternative)) continue;
    const all = Object.keys(alternative).map((id) => schemes.get(id));
    if (all.every((s): s is ApiSecurityScheme => s !== undefined)) out.push(all);
  }
  return out;
}

function responses3(value: unknown): ApiResponse[] {
  if (!isObject(value)) return [];
  return Object.entries(value).flatMap(([status, raw]) => {
    if (!isObject(raw)) return [];
    const media = pickMedia(raw.content);
    const description = text(raw.description);
    return [{ status, schema: schemaOf(media?.schema), example: exampleOf(media), description }];
  });
}

function pickMedia(content: unknown): (JsonObject & { type: string }) | undefined {
  if (!isObject(content)) return undefined;
  const types = Object.keys(content);
  const type = types.find((t) => /json/i.test(t)) ?? types[0];
  const media = type !== undefined ? content[type] : undefined;
  return isObject(media) ? { ...media, type } : undefined;
}

function exampleOf(media: JsonObject | undefined): unknown {
  if (!media) return undefined;
  if (media.example !== undefined) return media.example;
  const first = isObject(media.examples) ? Object.values(media.examples)[0] : undefined;
  return isObject(first) ? first.value : undefined;
}

function requestBody3(value: unknown): ApiRequestBody | undefined {
  if (!isObject(value)) return undefined;
  const media = pickMedia(value.content);
  if (!media) return undefined;
  const schema = schemaOf(media.schema);
  return {
    required: value.required === true,
    contentType: media.type,
    example: exampleOf(media),
    ...(schema ? { schema } : {}),
  };
}

interface Level {
  servers: string[];
  security: unknown;
  schemes: Map<string, ApiSecurityScheme>;
}

function eachOperation(
  doc: JsonObject,
  visit: (method: string, route: string, op: JsonObject, item: JsonObject) => void,
): void {
  const paths = isObject(doc.paths) ? doc.paths : {};
  for (const [route, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (isObject(op)) visit(method.toUpperCase(), route, op, item);
    }
  }
}

function common(op: JsonObject): Pick<ApiOperation, 'operationId' | 'summary' | 'description'> {
  return { operationId: text(op.operationId), summary: text(op.summary), description: text(op.description) };
}

export function normaliseOpenApi3(doc: JsonObject): ApiOperation[] {
  const components = isObject(doc.components) ? doc.components : {};
  const level: Level = {
    servers: serverUrls(doc.servers) ?? [''],
    security: doc.security,
    schemes: securitySchemes(components.securitySchemes),
  };
  const out: ApiOperation[] = [];
  eachOperation(doc, (method, route, op, item) => {
    const requestBody = requestBody3(op.requestBody);
    out.push({
      method,
      path: route,
      servers: serverUrls(op.servers) ?? serverUrls(item.servers) ?? level.servers,
      ...common(op),
      parameters: parameters(item.parameters, op.parameters).flatMap((p) => parameterOf(p, false) ?? []),
      ...(requestBody ? { requestBody } : {}),
      responses: responses3(op.responses),
      security: security(op.security ?? level.security, level.schemes),
    });
  });
  return out;
}

export function normaliseSwagger2(doc: JsonObject): ApiOperation[] {
  const schemes = Array.isArray(doc.schemes) && typeof doc.schemes[0] === 'string' ? doc.schemes : ['https'];
  const host = text(doc.host);
  const basePath = (text(doc.basePath) ?? '').replace(/\/$/, '');
  const servers = host ? [`${String(schemes[0])}://${host}${basePath}`] : [basePath];
  const securitySchemesMap = securitySchemes(doc.securityDefinitions);
  const consumes = Array.isArray(doc.consumes) ? doc.consumes : [];
  const out: ApiOperation[] = [];
  eachOperation(doc, (method, route, op, item) => {
    const all = parameters(item.parameters, op.parameters);
    const opConsumes = Array.isArray(op.consumes) ? op.consumes : consumes;
    const requestBody = swaggerBody(all, opConsumes);
    out.push({
      method,
      path: route,
      servers,
      ...common(op),
      parameters: all.flatMap((p) => parameterOf(p, true) ?? []),
      ...(requestBody ? { requestBody } : {}),
      responses: swaggerResponses(op.responses),
      security: security(op.security ?? doc.security, securitySchemesMap),
    });
  });
  return out;
}

function swaggerBody(all: JsonObject[], consumes: unknown[]): ApiRequestBody | undefined {
  const body = all.find((p) => p.in === 'body');
  if (!body) return undefined;
  const contentType = consumes.find((c): c is string => typeof c === 'string' && /json/i.test(c)) ?? 'application/json';
  const schema = schemaOf(body.schema);
  return { required: body.required === true, contentType, ...(schema ? { schema } : {}) };
}

function swaggerResponses(value: unknown): ApiResponse[] {
  if (!isObject(value)) return [];
  return Object.entries(value).flatMap(([status, raw]) => {
    if (!isObject(raw)) return [];
    const examples = isObject(raw.examples) ? raw.examples : {};
    const jsonExample = Object.entries(examples).find(([type]) => /json/i.test(type))?.[1];
    return [{ status, schema: schemaOf(raw.schema), example: jsonExample, description: text(raw.description) }];
  });
}
