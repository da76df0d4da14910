import { findNodeAtOffset, getNodePath, type JSONPath, type Node } from 'jsonc-parser';
import type { ManifestAnalysis } from '../../analysis';
import { MANIFEST_SCHEMA } from '../../manifest/schema';
import type { Span } from '../../base/text';
import { isObject, type JsonObject } from '../../base/value';

/** Follows a local `$ref` (`#/definitions/x`), keeping the referring schema's own description first. */
function resolve(schema: JsonObject): JsonObject {
  const ref = schema.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return schema;
  let target: unknown = MANIFEST_SCHEMA;
  for (const segment of ref.slice(2).split('/')) target = isObject(target) ? target[segment] : undefined;
  return isObject(target) ? { ...resolve(target), ...schema, $ref: undefined } : schema;
}

function childSchema(schema: JsonObject, segment: string | number): JsonObject | undefined {
  if (typeof segment === 'number') return isObject(schema.items) ? schema.items : undefined;
  const property = isObject(schema.properties) ? schema.properties[segment] : undefined;
  if (isObject(property)) return property;
  return isObject(schema.additionalProperties) ? schema.additionalProperties : undefined;
}

/** The schema that describes the value at `path`. */
export function schemaAt(path: JSONPath): JsonObject | undefined {
  let schema: JsonObject | undefined = resolve(MANIFEST_SCHEMA);
  for (const segment of path) {
    if (!schema) return undefined;
    const next = childSchema(schema, segment);
    schema = next ? resolve(next) : undefined;
  }
  return schema;
}

/**
 * Docs for the key (or enum value) under the cursor, read from the schema with the tree the analysis
 * already has: vscode-json-languageservice would hold a second full AST of the manifest for this.
 */
export function hoverSchema(analysis: ManifestAnalysis, offset: number): { markdown: string; span: Span } | undefined {
  const root = analysis.doc.root;
  const node: Node | undefined = root ? findNodeAtOffset(root, offset) : undefined;
  if (!node || (node.type !== 'string' && node.type !== 'number' && node.type !== 'boolean')) return undefined;
  const property = node.parent?.type === 'property' ? node.parent : undefined;
  const isKey = property?.children?.[0] === node;
  const path = getNodePath(isKey && property?.children?.[1] ? property.children[1] : node);
  if (isKey && !property?.children?.[1]) path.push(String(node.value));
  const schema = schemaAt(path);
  if (!schema) return undefined;
  const span = { start: node.offset, end: node.offset + node.length };
  if (!isKey && Array.isArray(schema.enum) && Array.isArray(schema.markdownEnumDescriptions)) {
    const index = schema.enum.indexOf(node.value);
    const text: unknown = schema.markdownEnumDescriptions[index];
    if (typeof text === 'string') return { markdown: text, span };
  }
  if (!isKey) return undefined;
  const description = [schema.markdownDescription, schema.description].find((d) => typeof d === 'string');
  if (!description) return undefined;
  const extras: string[] = [];
  if (schema.default !== undefined) extras.push(`Default: \`${JSON.stringify(schema.default)}\``);
  if (Array.isArray(schema.enum))
    extras.push(`One of: ${schema.enum.map((v) => `\`${JSON.stringify(v)}\``).join(', ')}`);
  return { markdown: [description, ...extras].join('\n\n'), span };
}
