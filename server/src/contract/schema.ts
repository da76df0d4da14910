import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { isObject, type JsonObject } from '../base/value';
import type { ApiFormat, JsonSchema } from './description';

/**
 * An operation's schema as ajv validates it. OpenAPI 3.1 schemas are JSON Schema 2020-12 already; OpenAPI 3.0 and
 * Swagger 2.0 schemas are a dialect (`nullable`, `x-nullable`, boolean `exclusiveMinimum`, `readOnly` keys that a
 * request leaves out), turned into draft-07 here. A schema ajv cannot compile (a circular `$ref` left as is) is not
 * used: nothing is said about it.
 */

type Validator = ValidateFunction;

const NUMERIC_FORMATS = ['int32', 'int64', 'float', 'double', 'byte', 'binary', 'password'];

function configure<T extends Ajv>(ajv: T): T {
  addFormats(ajv);
  for (const format of NUMERIC_FORMATS) ajv.addFormat(format, true);
  return ajv;
}

let draft07: Ajv | undefined;
let draft2020: Ajv2020 | undefined;
const OPTIONS = { strict: false, allErrors: true, verbose: true, logger: false, validateFormats: true } as const;

function ajvFor(format: ApiFormat): Ajv {
  if (format === 'openapi-3.1') return (draft2020 ??= configure(new Ajv2020(OPTIONS)));
  return (draft07 ??= configure(new Ajv(OPTIONS)));
}

const compiled = new WeakMap<object, Validator | null>();

/** The validator of a request schema, or undefined when it cannot be compiled. */
export function requestValidator(schema: JsonSchema, format: ApiFormat): Validator | undefined {
  if (typeof schema === 'boolean') return undefined;
  const cached = compiled.get(schema);
  if (cached !== undefined) return cached ?? undefined;
  let validator: Validator | null;
  try {
    const source = format === 'openapi-3.1' ? withoutReadOnly(schema, new WeakMap()) : toDraft07(schema, new WeakMap());
    validator = ajvFor(format).compile(source);
  } catch {
    validator = null;
  }
  compiled.set(schema, validator);
  return validator ?? undefined;
}

export type SchemaError = ErrorObject;

/** Required keys that are `readOnly` are not required in a request (OpenAPI 3.x). */
function requiredInRequest(schema: JsonObject): string[] | undefined {
  if (!Array.isArray(schema.required)) return undefined;
  const properties = isObject(schema.properties) ? schema.properties : {};
  return schema.required.filter((key) => {
    const property = typeof key === 'string' ? properties[key] : undefined;
    return !(isObject(property) && property.readOnly === true);
  }) as string[];
}

function mapChildren(value: unknown, convert: (v: JsonObject) => JsonObject): unknown {
  if (Array.isArray(value)) return value.map((v: unknown) => (isObject(v) ? convert(v) : v));
  return isObject(value) ? convert(value) : value;
}

const SCHEMA_MAPS = ['properties', 'patternProperties', 'definitions', '$defs', 'dependentSchemas'];

function convertWith(schema: JsonObject, memo: WeakMap<object, JsonObject>, own: (out: JsonObject) => void) {
  const done = memo.get(schema);
  if (done) return done;
  const out: JsonObject = {};
  memo.set(schema, out);
  const convert = (v: JsonObject): JsonObject => convertWith(v, memo, own);
  for (const [key, value] of Object.entries(schema)) {
    if (SCHEMA_MAPS.includes(key) && isObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapChildren(v, convert)]));
    } else if (key === 'example' || key === 'examples' || key === 'discriminator' || key === 'xml') {
      continue;
    } else out[key] = isObject(value) || Array.isArray(value) ? mapChildren(value, convert) : value;
  }
  const required = requiredInRequest(schema);
  if (required) out.required = required;
  own(out);
  return out;
}

function withoutReadOnly(schema: JsonObject, memo: WeakMap<object, JsonObject>): JsonObject {
  return convertWith(schema, memo, () => undefined);
}

function toDraft07(schema: JsonObject, memo: WeakMap<object, JsonObject>): JsonObject {
  return convertWith(schema, memo, (out) => {
    if (out.nullable === true || out['x-nullable'] === true) {
      if (typeof out.type === 'string') out.type = [out.type, 'null'];
      if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...(out.enum as unknown[]), null];
    }
    delete out.nullable;
    for (const [flag, bound] of [
      ['exclusiveMinimum', 'minimum'],
      ['exclusiveMaximum', 'maximum'],
    ] as const) {
      if (out[flag] === true && typeof out[bound] === 'number') {
        out[flag] = out[bound];
        delete out[bound];
      } else if (out[flag] === false) delete out[flag];
    }
  });
}
