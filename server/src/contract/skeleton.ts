import type { JsonObject } from '../base/value';
import { additionalOf, itemsOf, propertiesOf, requiredOf, typesOf, type SchemaObject } from './schemaPaths';

/**
 * A payload skeleton from an operation's request schema: the required keys with values a partner would
 * start from (a fixed value the schema gives, a pre-defined variable whose meaning the key names, an empty
 * value of the right type otherwise), `$items` at the array of users, and the item template from that
 * array's items. What is left for a person to fill in is listed, never guessed silently.
 */

export type UserRole = 'listCreation' | 'addUsers' | 'removeUsers' | 'update';

export interface SkeletonContext {
  role: UserRole;
  /** Custom field variables the manifest declares (a key of the same name takes it). */
  customFields: readonly string[];
  /** The mapping variable users are identified by; without one, named after the key (`email_field_amplitude`). */
  userVariable?: string;
}

export interface PayloadSkeleton {
  payload: unknown;
  /** The payload path of the user array (`$items`), when the schema has one. */
  itemsPath?: string[];
  itemTemplate?: unknown;
  /** The user array's maxItems: the most users one request may carry. */
  maxItems?: number;
  /** Payload paths left empty for a person to fill in. */
  toFill: string[];
  /** The membership goes where the API takes strings: the item template must be written as text. */
  membershipAsText?: boolean;
}

function userVariableFor(key: string, ctx: SkeletonContext): string {
  if (ctx.userVariable) return ctx.userVariable;
  return /email/i.test(key) ? 'email_field_amplitude' : 'user_id_field_amplitude';
}

const NAME_KEY = /^(name|title|display_?name|(list|segment|audience|group|cohort)_?name)$/i;
const LIST_KEY = /^(list|segment|audience|group)_?id$/i;
const COHORT_ID_KEY = /^(external_?(id|ref)|cohort_?id|source_?id)$/i;
const USER_KEY = /^(\$?distinct_id|external_?id|user_?id|email|email_?address|id|ids|contact_?id|profile_?id)$/i;

function fixedValue(schema: SchemaObject): { value: unknown } | undefined {
  if (schema.const !== undefined) return { value: schema.const };
  if (Array.isArray(schema.enum) && schema.enum.length === 1) return { value: schema.enum[0] };
  if (schema.default !== undefined) return { value: schema.default };
  return undefined;
}

function scalarFor(key: string, schema: SchemaObject, ctx: SkeletonContext, inItem: boolean): unknown {
  const fixed = fixedValue(schema);
  if (fixed) return fixed.value;
  if (ctx.customFields.includes(key)) return `$${key}`;
  const types = typesOf(schema);
  if (!inItem && LIST_KEY.test(key) && (ctx.role === 'addUsers' || ctx.role === 'removeUsers')) return '$list_id';
  if (types.includes('string') || types.length === 0) {
    if (inItem && (key === '' || USER_KEY.test(key))) return `$${userVariableFor(key, ctx)}`;
    if (!inItem && NAME_KEY.test(key)) return '$amp_cohort_name';
    if (!inItem && COHORT_ID_KEY.test(key)) return '$amp_cohort_id';
    return '';
  }
  if (types.includes('boolean')) return false;
  if (types.includes('integer') || types.includes('number')) return 0;
  return null;
}

function isEmptyScalar(value: unknown): boolean {
  return value === '' || value === 0 || value === null;
}

/** The keys an object skeleton holds: the required ones, or an identifier when none is required (items). */
function keysToShow(schema: SchemaObject, inItem: boolean): string[] {
  const required = requiredOf(schema);
  if (required.length > 0) return required;
  if (!inItem) return [];
  const names = propertiesOf(schema).map(([k]) => k);
  const id = names.find((k) => USER_KEY.test(k));
  return id ? [id] : [];
}

interface Walk {
  ctx: SkeletonContext;
  out: PayloadSkeleton;
  inItem: boolean;
}

function build(schema: SchemaObject, path: string[], walk: Walk): unknown {
  const key = path[path.length - 1] ?? '';
  const types = typesOf(schema);
  const fixed = fixedValue(schema);
  if (fixed && !types.includes('object')) return fixed.value;
  if (types.includes('object')) return buildObject(schema, path, walk);
  if (types.includes('array')) {
    if (!walk.inItem && walk.out.itemsPath && walk.out.itemsPath.join('/') === path.join('/')) return '$items';
    return [];
  }
  const value = scalarFor(key, schema, walk.ctx, walk.inItem);
  if (isEmptyScalar(value)) walk.out.toFill.push([walk.inItem ? 'itemTemplate' : 'payload', ...path].join('.'));
  return value;
}

function buildObject(schema: SchemaObject, path: string[], walk: Walk): JsonObject {
  const object: JsonObject = {};
  const properties = new Map(propertiesOf(schema));
  for (const key of keysToShow(schema, walk.inItem))
    object[key] = build(properties.get(key) ?? {}, [...path, key], walk);
  if (walk.out.itemsPath && !walk.inItem) {
    const [head] = walk.out.itemsPath.slice(path.length);
    const onTheWay = walk.out.itemsPath.slice(0, path.length).join('/') === path.join('/');
    if (head !== undefined && onTheWay && !(head in object))
      object[head] = build(properties.get(head) ?? {}, [...path, head], walk);
  }
  return object;
}

/** Every array in the schema (not inside another array), with its payload path, up to 4 levels deep. */
function arraysIn(schema: SchemaObject, path: string[] = []): { path: string[]; schema: SchemaObject }[] {
  if (path.length > 4) return [];
  if (typesOf(schema).includes('array')) return [{ path, schema }];
  return propertiesOf(schema).flatMap(([k, s]) => arraysIn(s, [...path, k]));
}

const ADD_WORDS = /add|subscrib|member|user|profile|contact|id|data|input|attribute|recipient|people|email/i;
const REMOVE_WORDS = /remov|unsubscrib|delete/i;

/** The array of users: for add and update the one not named for removal, for remove the one named so. */
export function userArray(schema: SchemaObject, role: UserRole): { path: string[]; schema: SchemaObject } | undefined {
  if (role === 'listCreation') return undefined;
  const arrays = arraysIn(schema).filter((a) => a.path.length > 0);
  const named = (a: { path: string[] }) => a.path.join('.');
  const removal = arrays.filter((a) => REMOVE_WORDS.test(named(a)));
  if (role === 'removeUsers' && removal.length > 0) return removal[0];
  const others = arrays.filter((a) => !REMOVE_WORDS.test(named(a)));
  return others.find((a) => ADD_WORDS.test(named(a))) ?? others[0] ?? arrays[0];
}

/** Where a property-based membership goes in an item (an open object of values, or the item), and its schema. */
function membershipPlace(item: SchemaObject): { path: string[]; schema: SchemaObject } | undefined {
  for (const [key, schema] of propertiesOf(item)) {
    const extra = additionalOf(schema);
    if (extra && propertiesOf(schema).length === 0) return { path: [key], schema: extra };
  }
  const extra = additionalOf(item);
  return extra === false ? undefined : { path: [], schema: extra ?? {} };
}

function itemTemplateOf(items: SchemaObject, walk: Walk): unknown {
  const item = build(items, [], { ...walk, inItem: true });
  if (walk.ctx.role !== 'update' || typeof item !== 'object' || item === null) return item;
  const place = membershipPlace(items);
  if (!place) return item;
  let target = item as JsonObject;
  for (const key of place.path) target = (target[key] ??= {}) as JsonObject;
  target['amplitude_$amp_cohort_name'] = '$amp_cohort_membership';
  const types = typesOf(place.schema);
  if (types.length > 0 && !types.includes('boolean') && types.includes('string')) walk.out.membershipAsText = true;
  return item;
}

export function payloadSkeleton(requestSchema: unknown, ctx: SkeletonContext): PayloadSkeleton {
  const schema = (requestSchema && typeof requestSchema === 'object' ? requestSchema : {}) as SchemaObject;
  const out: PayloadSkeleton = { payload: undefined, toFill: [] };
  const users = userArray(schema, ctx.role);
  if (users) {
    out.itemsPath = users.path;
    if (typeof users.schema.maxItems === 'number') out.maxItems = users.schema.maxItems;
  }
  const walk: Walk = { ctx, out, inItem: false };
  out.payload = build(schema, [], walk);
  if (users) out.itemTemplate = itemTemplateOf(itemsOf(users.schema) ?? {}, walk);
  return out;
}
