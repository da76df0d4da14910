import { findNodeAtOffset, getLocation, getNodePath, type JSONPath, type Node } from 'jsonc-parser';
import type { ManifestAnalysis } from '../analysis';
import type { ManifestModel } from '../manifest/model';
import type { Span } from '../base/text';
import { isObject, type JsonObject } from '../base/value';
import type { ApiDescription, ApiOperation } from '../contract/description';
import { matchOperation, operationName } from '../contract/operations';
import { propertiesOf, requiredOf, schemaAt, typeLabel, typesOf, type SchemaObject } from '../contract/schemaPaths';

/**
 * Completion and hover of payload keys inside an endpoint bound to an operation of the partner's API
 * description: the endpoint's method and URL name the operation, its request schema names the keys that go
 * at each place of `payload` (and of `itemTemplate`, under the array `$items` fills), with their types,
 * whether they are required, and their descriptions. Pure: fed the analysis and the loaded description.
 */

const COHORT_ROLES = new Set(['listCreation', 'addUsers', 'removeUsers', 'update']);

interface Place {
  operation: ApiOperation;
  /** The path in the request body that the manifest path stands for. */
  bodyPath: (string | number)[];
}

/** The path of `$items` in a payload (the array of users), to place the item template's keys. */
function itemsPath(payload: unknown, path: (string | number)[] = []): (string | number)[] | undefined {
  if (payload === '$items') return path;
  if (Array.isArray(payload)) return undefined;
  if (!isObject(payload)) return undefined;
  for (const [key, value] of Object.entries(payload)) {
    const found = itemsPath(value, [...path, key]);
    if (found) return found;
  }
  return undefined;
}

/** The operation and body path a manifest path inside `payload` or `itemTemplate` stands for. */
export function payloadPlace(model: ManifestModel, path: JSONPath, description: ApiDescription): Place | undefined {
  const [top, role, part, ...rest] = path;
  if (top !== 'endpoints' || typeof role !== 'string' || !COHORT_ROLES.has(role)) return undefined;
  const endpoint = model.endpoints.find((e) => e.name === role);
  if (endpoint?.url === undefined || endpoint.method === undefined) return undefined;
  const operation = matchOperation(description, endpoint.method, endpoint.url).operation;
  if (!operation?.requestBody?.schema) return undefined;
  if (part === 'payload') return { operation, bodyPath: rest };
  if (part !== 'itemTemplate') return undefined;
  const items = itemsPath(endpoint.payload);
  return items ? { operation, bodyPath: [...items, 0, ...rest] } : undefined;
}

function schemaOf(place: Place): SchemaObject | undefined {
  return schemaAt(place.operation.requestBody?.schema, place.bodyPath);
}

function describe(key: string, schema: SchemaObject, required: boolean, operation: ApiOperation): string {
  const lines = [`**${key}**: \`${typeLabel(schema)}\`${required ? ', required' : ''}`];
  if (typeof schema.description === 'string') lines.push('', schema.description);
  if (Array.isArray(schema.enum))
    lines.push('', `One of: ${schema.enum.map((v) => `\`${JSON.stringify(v)}\``).join(', ')}`);
  if (typeof schema.maxItems === 'number') lines.push('', `At most ${schema.maxItems} items.`);
  lines.push('', `From the request schema of ${operationName(operation)}.`);
  return lines.join('\n');
}

export interface PayloadKeyItem {
  label: string;
  detail: string;
  documentation: string;
  /** Replaces `range`: the key, and a value of its type when the key has none yet. */
  newText: string;
  range: Span;
  /** Required keys first. */
  sortText: string;
}

function placeholder(schema: SchemaObject): string {
  if (schema.default !== undefined) return JSON.stringify(schema.default);
  if (Array.isArray(schema.enum) && schema.enum.length === 1) return JSON.stringify(schema.enum[0]);
  const [type] = typesOf(schema);
  const empty: Record<string, string> = { string: '""', integer: '0', number: '0', boolean: 'false', array: '[]' };
  return empty[type] ?? (type === 'object' ? '{}' : '""');
}

/** The keys the request schema has for the object the cursor is in, less the ones already written. */
export function completePayloadKeys(
  analysis: ManifestAnalysis,
  offset: number,
  description: ApiDescription,
): PayloadKeyItem[] {
  const text = analysis.doc.text;
  const location = getLocation(text, offset);
  if (!location.isAtPropertyKey) return [];
  const containerPath = location.path.slice(0, -1);
  const place = payloadPlace(analysis.model, containerPath, description);
  const schema = place && schemaOf(place);
  if (!place || !schema) return [];
  const written = new Set(Object.keys(objectAt(analysis.doc.value, containerPath)));
  const typed = location.previousNode?.type === 'property' || location.previousNode?.type === 'string';
  const node = typed ? location.previousNode : undefined;
  const range = node ? { start: node.offset, end: node.offset + node.length } : { start: offset, end: offset };
  const hasValue = /^\s*:/.test(text.slice(range.end));
  const required = new Set(requiredOf(schema));
  return propertiesOf(schema)
    .filter(([key]) => !written.has(key) || (node !== undefined && node.value === key))
    .map(([key, property]) => ({
      label: key,
      detail: `${typeLabel(property)}${required.has(key) ? ' (required)' : ''}`,
      documentation: describe(key, property, required.has(key), place.operation),
      newText: hasValue ? JSON.stringify(key) : `${JSON.stringify(key)}: ${placeholder(property)}`,
      range,
      sortText: `${required.has(key) ? '0' : '1'}${key}`,
    }));
}

function objectAt(value: unknown, path: JSONPath): JsonObject {
  let current = value;
  for (const step of path)
    current = isObject(current) || Array.isArray(current) ? (current as JsonObject)[step] : undefined;
  return isObject(current) ? current : {};
}

/** Docs of the payload key under the cursor, from the operation's request schema. */
export function hoverPayloadKey(
  analysis: ManifestAnalysis,
  offset: number,
  description: ApiDescription,
): { markdown: string; span: Span } | undefined {
  const root = analysis.doc.root;
  const node: Node | undefined = root ? findNodeAtOffset(root, offset) : undefined;
  const property = node?.parent?.type === 'property' ? node.parent : undefined;
  if (!node || !property || property.children?.[0] !== node || typeof node.value !== 'string') return undefined;
  const path = [...getNodePath(property.parent ?? property), node.value];
  const place = payloadPlace(analysis.model, path, description);
  const schema = place && schemaOf(place);
  if (!place || !schema) return undefined;
  const parent = schemaOf({ ...place, bodyPath: place.bodyPath.slice(0, -1) });
  const required = requiredOf(parent).includes(node.value);
  return {
    markdown: describe(node.value, schema, required, place.operation),
    span: { start: node.offset, end: node.offset + node.length },
  };
}

/** The manifest names a description and the cursor may be in a payload: worth loading it. */
export function inPayload(analysis: ManifestAnalysis, offset: number): boolean {
  const path = getLocation(analysis.doc.text, offset).path;
  return path[0] === 'endpoints' && (path[2] === 'payload' || path[2] === 'itemTemplate');
}
