/**
 * Reading a dereferenced request schema as a person reads it: the properties of an object (allOf merged,
 * the first alternative of oneOf/anyOf), what is required, the item schema of an array, and the schema at a
 * payload path. Pure, over the normalised JSON Schema that contract/description.ts gives.
 */

export type SchemaObject = Record<string, unknown>;

function isObject(value: unknown): value is SchemaObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The schema as an object (`true` and a missing schema are the empty schema; `false` has no object). */
export function asSchema(schema: unknown): SchemaObject | undefined {
  if (schema === true || schema === undefined) return {};
  return isObject(schema) ? schema : undefined;
}

/** allOf parts merged (properties and required), or the first oneOf/anyOf alternative, at most 8 deep. */
export function flatten(schema: unknown, depth = 0): SchemaObject | undefined {
  const own = asSchema(schema);
  if (!own || depth > 8) return own;
  const alternatives = [own.oneOf, own.anyOf].find(Array.isArray) as unknown[] | undefined;
  if (alternatives && alternatives.length > 0 && !own.properties && !own.type) {
    const first = flatten(alternatives[0], depth + 1) ?? {};
    return { ...first, description: own.description ?? first.description };
  }
  if (!Array.isArray(own.allOf)) return own;
  const merged: SchemaObject = { ...own, allOf: undefined };
  const properties: SchemaObject = { ...(isObject(own.properties) ? own.properties : {}) };
  const required = new Set<string>(Array.isArray(own.required) ? (own.required as string[]) : []);
  for (const part of own.allOf as unknown[]) {
    const flat = flatten(part, depth + 1);
    if (!flat) continue;
    if (isObject(flat.properties)) Object.assign(properties, flat.properties);
    if (Array.isArray(flat.required)) for (const r of flat.required) required.add(String(r));
    for (const key of ['type', 'additionalProperties', 'description', 'maxItems', 'items'])
      if (merged[key] === undefined && flat[key] !== undefined) merged[key] = flat[key];
  }
  return { ...merged, properties, required: [...required] };
}

/** The schema's types: `type` as a list (3.1 allows several), `null` left out; inferred from its keywords. */
export function typesOf(schema: unknown): string[] {
  const flat = flatten(schema);
  if (!flat) return [];
  const type = flat.type;
  let list: string[] = [];
  if (Array.isArray(type)) list = type.map(String);
  else if (typeof type === 'string') list = [type];
  const named = list.filter((t) => t !== 'null');
  if (named.length > 0) return named;
  if (isObject(flat.properties)) return ['object'];
  if (flat.items !== undefined) return ['array'];
  return [];
}

export function propertiesOf(schema: unknown): [string, SchemaObject][] {
  const flat = flatten(schema);
  if (!flat || !isObject(flat.properties)) return [];
  return Object.entries(flat.properties).map(([k, v]) => [k, flatten(v) ?? {}]);
}

export function requiredOf(schema: unknown): string[] {
  const flat = flatten(schema);
  return flat && Array.isArray(flat.required) ? flat.required.map(String) : [];
}

export function itemsOf(schema: unknown): SchemaObject | undefined {
  const flat = flatten(schema);
  return flat ? flatten(flat.items) : undefined;
}

/** The schema other keys of an object get: undefined when the schema says nothing, false when forbidden. */
export function additionalOf(schema: unknown): SchemaObject | false | undefined {
  const flat = flatten(schema);
  if (!flat || flat.additionalProperties === undefined) return undefined;
  if (flat.additionalProperties === false) return false;
  return flatten(flat.additionalProperties) ?? {};
}

/**
 * The schema at a payload path (object keys, and numbers or `$items` for array items). An object key the
 * schema does not name falls to additionalProperties when that is a schema.
 */
export function schemaAt(schema: unknown, path: readonly (string | number)[]): SchemaObject | undefined {
  let current = flatten(schema);
  for (const step of path) {
    if (!current) return undefined;
    if (typeof step === 'number' || typesOf(current).includes('array')) {
      current = itemsOf(current);
      continue;
    }
    const named = propertiesOf(current).find(([k]) => k === step);
    const extra = additionalOf(current);
    current = named ? named[1] : extra || undefined;
  }
  return current;
}

/** One line on a schema's type, as hover and completion show it: `string (email)`, `array of object`. */
export function typeLabel(schema: unknown): string {
  const flat = flatten(schema);
  if (!flat) return 'never';
  const types = typesOf(flat);
  if (types.length === 0) return 'any';
  return types
    .map((t) => {
      if (t === 'array') return `array of ${typeLabel(flat.items)}`;
      return typeof flat.format === 'string' ? `${t} (${flat.format})` : t;
    })
    .join(' | ');
}
