import { isObject, stringAt, type JsonObject } from '../base/value';
import { parseListIdPath } from '../manifest/listIdPath';
import type { ContractCall } from './context';
import type { ApiResponse, JsonSchema } from './description';

/** What a response schema says about one path in the answer. */
export type SchemaLookup =
  | { schema: JsonSchema }
  /** The schema lists its keys and this one is not among them, at `missing` (the keys before it). */
  | { missing: string; known: string[] }
  /** The schema does not say (no properties listed, a branch that allows anything). */
  | { unknown: true };

const unknown: SchemaLookup = { unknown: true };

function branches(schema: JsonObject, key: 'allOf' | 'anyOf' | 'oneOf'): JsonObject[] {
  return Array.isArray(schema[key]) ? (schema[key] as unknown[]).filter(isObject) : [];
}

function stepInto(schema: JsonSchema, segment: string | number, where: string): SchemaLookup {
  if (!isObject(schema)) return unknown;
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    const parts = branches(schema, key);
    if (parts.length === 0) continue;
    const found = parts.map((part) => stepInto(part, segment, where));
    const hit = found.find((f) => 'schema' in f);
    if (hit) return hit;
    if (key === 'allOf' && !isObject(schema.properties)) {
      return found.every((f) => 'missing' in f) ? found[0] : unknown;
    }
    if (key !== 'allOf') return found.every((f) => 'missing' in f) ? found[0] : unknown;
  }
  if (typeof segment === 'number') {
    const items = schema.items;
    return isObject(items) || typeof items === 'boolean' ? { schema: items } : unknown;
  }
  const properties = isObject(schema.properties) ? schema.properties : undefined;
  const property = properties?.[segment];
  if (properties && (isObject(property) || typeof property === 'boolean')) return { schema: property };
  if (!properties || Object.keys(properties).length === 0) return unknown;
  if (isObject(schema.additionalProperties) || isObject(schema.patternProperties)) return unknown;
  return { missing: where, known: Object.keys(properties) };
}

/** The schema at a path of keys and indexes, or where the path leaves what the schema lists. */
export function schemaAt(schema: JsonSchema, segments: (string | number)[]): SchemaLookup {
  let current: JsonSchema = schema;
  const passed: string[] = [];
  for (const segment of segments) {
    const step = stepInto(current, segment, passed.join('.') || '(the top level)');
    if (!('schema' in step)) return step;
    current = step.schema;
    passed.push(typeof segment === 'number' ? `[${segment}]` : segment);
  }
  return { schema: current };
}

/** The one JSON type a schema allows, when it says so (a `null` alternative aside). */
export function schemaType(schema: JsonSchema): string | undefined {
  if (!isObject(schema)) return undefined;
  const type = schema.type;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) {
    const real = type.filter((t) => t !== 'null');
    return real.length === 1 && typeof real[0] === 'string' ? real[0] : undefined;
  }
  if (isObject(schema.properties)) return 'object';
  return undefined;
}

/** The documented 2xx answers that have a schema. */
export function successResponses(responses: ApiResponse[]): (ApiResponse & { schema: JsonSchema })[] {
  return responses.filter(
    (r): r is ApiResponse & { schema: JsonSchema } => /^2(\d\d|XX)$/i.test(r.status) && r.schema !== undefined,
  );
}

/** listIdPath (default `listId`) in list creation's documented 2xx answers. */
export function listIdSchema(
  creation: ContractCall,
): (SchemaLookup & { status: string; listIdPath: string }) | undefined {
  const operation = creation.match.operation;
  if (!operation) return undefined;
  const listIdPath = stringAt(creation.value, 'listIdPath') ?? 'listId';
  const parsed = parseListIdPath(listIdPath);
  if ('problem' in parsed) return undefined;
  const answers = successResponses(operation.responses);
  let firstMissing: (SchemaLookup & { status: string; listIdPath: string }) | undefined;
  for (const answer of answers) {
    const found = schemaAt(answer.schema, parsed.segments);
    if ('schema' in found) return { ...found, status: answer.status, listIdPath };
    if ('unknown' in found) return undefined;
    firstMissing ??= { ...found, status: answer.status, listIdPath };
  }
  return firstMissing;
}
