import type { ManifestDiagnostic } from '../../base/diagnostic';
import { isObject, type JsonObject } from '../../base/value';
import type { BuiltBody, ContractCheck, ContractContext } from '../context';
import { editDistance, operationName } from '../operations';

/**
 * A key the request schema does not list, one or two letters away from a key it does list that the body does not
 * send: a misspelling the API silently ignores (where `additionalProperties: false` forbids the key outright,
 * contract-body-unknown-key speaks instead). Both conditions together are the evidence; either alone is not.
 */
export const misspeltKeyCheck: ContractCheck = {
  codes: ['contract-body-misspelt-key'],
  run: (context) => {
    const out: ManifestDiagnostic[] = [];
    const seen = new Set<string>();
    for (const body of context.bodies) {
      const schema = body.call.match.operation?.requestBody?.schema;
      if (!isObject(schema)) continue;
      for (const d of walk(context, body, body.body, schema, [], 0)) {
        if (seen.has(`${d.start}:${d.end}`)) continue;
        seen.add(`${d.start}:${d.end}`);
        out.push(d);
      }
    }
    return out;
  },
};

/** The properties a schema lists, its allOf parts' included; undefined when it lists none or allows patterns. */
function listedProperties(schema: JsonObject): { names: string[]; closed: boolean } | undefined {
  const names: string[] = [];
  let closed = schema.additionalProperties === false;
  const parts = [schema, ...(Array.isArray(schema.allOf) ? schema.allOf.filter(isObject) : [])];
  for (const part of parts) {
    if (isObject(part.patternProperties) || Array.isArray(part.anyOf) || Array.isArray(part.oneOf)) return undefined;
    if (isObject(part.properties)) names.push(...Object.keys(part.properties));
    if (part !== schema && part.additionalProperties === false) closed = true;
  }
  return names.length > 0 ? { names, closed } : undefined;
}

function propertySchema(schema: JsonObject, key: string): JsonObject | undefined {
  const parts = [schema, ...(Array.isArray(schema.allOf) ? schema.allOf.filter(isObject) : [])];
  for (const part of parts) {
    const property = isObject(part.properties) ? part.properties[key] : undefined;
    if (isObject(property)) return property;
  }
  return undefined;
}

function closestMissing(key: string, names: string[], sent: JsonObject): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const name of names) {
    if (Object.hasOwn(sent, name)) continue;
    const d =
      editDistance(name.toLowerCase(), key.toLowerCase()) + (name.toLowerCase() === key.toLowerCase() ? 0.5 : 0);
    if (d <= Math.min(2, Math.floor(name.length / 3)) && (!best || d < best.d)) best = { name, d };
  }
  return best?.name;
}

function walk(
  context: ContractContext,
  body: BuiltBody,
  value: unknown,
  schema: JsonObject,
  pointer: string[],
  depth: number,
): ManifestDiagnostic[] {
  if (depth > 32) return [];
  if (Array.isArray(value)) {
    // Every item comes from the same template: the first tells for all.
    const items = schema.items;
    return value.length > 0 && isObject(items)
      ? walk(context, body, value[0], items, [...pointer, '0'], depth + 1)
      : [];
  }
  if (!isObject(value)) return [];
  const listed = listedProperties(schema);
  const out: ManifestDiagnostic[] = [];
  for (const [key, child] of Object.entries(value)) {
    const sub = propertySchema(schema, key);
    if (sub) {
      out.push(...walk(context, body, child, sub, [...pointer, key], depth + 1));
      continue;
    }
    if (!listed || listed.closed || isObject(schema.additionalProperties)) continue;
    const meant = closestMissing(key, listed.names, value);
    if (meant === undefined) continue;
    const source = body.locate([...pointer, key]);
    const keyed = source.path[source.path.length - 1] === key;
    // A key written in the manifest as it is sent, or rendered by the template; never one a variable names.
    if (source.kind !== 'rendered' && !(source.kind === 'literal' && keyed)) continue;
    const span = keyed ? context.doc.keySpanAt(source.path) : context.doc.spanAt(source.path);
    const operation = body.call.match.operation;
    out.push({
      ...span,
      code: 'contract-body-misspelt-key',
      severity: 'warning',
      message:
        `${body.call.title} sends "${key}", which ${operation ? operationName(operation) : 'the operation'} does ` +
        `not list, and not "${meant}", which it does (at /${[...pointer, key].join('/')} of ${body.label}): ` +
        `the API may ignore "${key}". Did you mean "${meant}"?`,
    });
  }
  return out;
}
