import { additionalOf, itemsOf, propertiesOf, requiredOf, typesOf, type SchemaObject } from './schemaPaths';

/**
 * A FreeMarker body template from a streaming operation's request schema: the required keys and the ones
 * whose name says which field of the forwarded event fills them (the event's name, the user, the time, the
 * insert id, a declared parameter), and the forwarded properties where the schema has an open object.
 * Strings are escaped with ?json_string. Keys no name explains are left empty and listed.
 */

export interface TemplateContext {
  role: 'events' | 'identify';
  parameters: readonly string[];
}

type Node = { raw: string } | { object: [string, Node][]; loop: boolean } | { array: Node[] } | { literal: unknown };

const EVENT_KEY = /^(event|event_?name|event_?type|action|name)$/i;
const USER_KEY = /^\$?(distinct_?id|external_?id|user_?id|customer_?id)$/i;
const INSERT_KEY = /^\$?(insert_?id|message_?id|event_?id|uuid|id)$/i;
const TIME_KEY = /^\$?(time|timestamp|created_?at|event_?time)$/i;

const USER = '(input.user_id!input.device_id!"")';
const quoted = (expression: string): Node => ({ raw: `"\${${expression}?json_string}"` });

function parameterFor(key: string, parameters: readonly string[]): string | undefined {
  const bare = key.replace(/^\$/, '').toLowerCase();
  return parameters.find((p) => p.toLowerCase() === bare) ?? parameters.find((p) => p.toLowerCase().includes(bare));
}

function scalarNode(key: string, schema: SchemaObject, ctx: TemplateContext, notes: string[]): Node | undefined {
  const types = typesOf(schema);
  const parameter = /token|key|app_?id|account/i.test(key) ? parameterFor(key, ctx.parameters) : undefined;
  if (parameter) return quoted(`parameters.${parameter}`);
  if (USER_KEY.test(key)) return quoted(USER);
  if (ctx.role === 'events' && EVENT_KEY.test(key)) return quoted('input.event_type');
  if (ctx.role === 'events' && INSERT_KEY.test(key)) return quoted('(input["$insert_id"]!input.uuid!"")');
  if (ctx.role === 'events' && TIME_KEY.test(key)) {
    if (!types.includes('integer') && !types.includes('number')) return quoted('input.event_time');
    notes.push(
      `"${key}" is a number: the template sends epoch milliseconds; the description does not say which unit ` +
        'your API wants (seconds? microseconds?), so check it.',
    );
    return { raw: '${input.event_time[0..18]?datetime("yyyy-MM-dd HH:mm:ss")?long?c}' };
  }
  if (/^\$?email$/i.test(key)) return quoted('(input.user_properties.email!"")');
  return undefined;
}

function node(
  key: string,
  schema: SchemaObject,
  ctx: TemplateContext,
  out: { notes: string[]; toFill: string[] },
  path: string[],
): Node {
  const types = typesOf(schema);
  if (schema.const !== undefined) return { literal: schema.const };
  if (Array.isArray(schema.enum) && schema.enum.length === 1) return { literal: schema.enum[0] };
  if (types.includes('object')) return objectNode(schema, ctx, out, path);
  if (types.includes('array')) return { array: [node(key, itemsOf(schema) ?? {}, ctx, out, path)] };
  const known = scalarNode(key, schema, ctx, out.notes);
  if (known) return known;
  if (schema.default !== undefined) return { literal: schema.default };
  out.toFill.push(path.join('.'));
  if (types.includes('boolean')) return { literal: false };
  return { literal: types.includes('integer') || types.includes('number') ? 0 : '' };
}

/** An object of any keys (`data`, `params`, `$set`): where the forwarded properties go. */
function openObject(schema: SchemaObject): boolean {
  const extra = additionalOf(schema);
  return (
    typesOf(schema).includes('object') && extra !== false && extra !== undefined && propertiesOf(schema).length === 0
  );
}

function objectNode(
  schema: SchemaObject,
  ctx: TemplateContext,
  out: { notes: string[]; toFill: string[] },
  path: string[],
): Node {
  const required = new Set(requiredOf(schema));
  const entries: [string, Node][] = [];
  for (const [key, property] of propertiesOf(schema)) {
    const scalar = typesOf(property).some((t) => t === 'object' || t === 'array')
      ? undefined
      : scalarNode(key, property, ctx, []);
    if (required.has(key) || scalar || openObject(property))
      entries.push([key, node(key, property, ctx, out, [...path, key])]);
  }
  const extra = additionalOf(schema);
  const loop = extra !== false && extra !== undefined && path.length > 0;
  return { object: entries, loop };
}

const FILTERED = '<#list mappedProperties?keys?filter(key -> mappedProperties[key]?has_content) as key>';
const PAIR = '"${key?json_string}": ${mappedProperties[key]}';

function render(n: Node, indent: string): string {
  if ('raw' in n) return n.raw;
  if ('literal' in n) return JSON.stringify(n.literal);
  const inner = `${indent}  `;
  if ('array' in n) return `[\n${n.array.map((c) => inner + render(c, inner)).join(',\n')}\n${indent}]`;
  const lines = n.object.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${render(v, inner)}`);
  if (n.loop && lines.length > 0) lines[lines.length - 1] += `${FILTERED},\n${inner}${PAIR}</#list>`;
  else if (n.loop) lines.push(`${inner}${FILTERED}\n${inner}${PAIR}<#sep>,</#sep>\n${inner}</#list>`);
  if (lines.length === 0) return '{}';
  return `{\n${lines.join(',\n')}\n${indent}}`;
}

export function templateSkeleton(
  requestSchema: unknown,
  ctx: TemplateContext,
  title: string,
): { text: string; notes: string[]; toFill: string[] } {
  const out = { notes: [] as string[], toFill: [] as string[] };
  const schema = (requestSchema && typeof requestSchema === 'object' ? requestSchema : {}) as SchemaObject;
  const body = render(node('', schema, ctx, out, []), '');
  const head = [
    `<#-- ${title}: a skeleton from the API description.`,
    '     Strings are escaped with ?json_string; check every value against what your API expects. -->',
    '<#setting number_format="computer">',
  ];
  return { text: `${head.join('\n')}\n${body}\n`, notes: out.notes, toFill: out.toFill };
}
