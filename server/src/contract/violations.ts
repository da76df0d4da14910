import type { ErrorObject } from 'ajv';
import type { BuiltBody, Violation } from './context';
import type { ApiDescription } from './description';
import { requestValidator } from './schema';

/** Under these a failure may be one branch of several: the check cannot tell which branch was meant. */
const AMBIGUOUS = /\/(anyOf|oneOf|not|if|then|else|contains|propertyNames)(\/|$)/;

export function splitPointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function valueAt(value: unknown, pointer: string[]): unknown {
  let current = value;
  for (const key of pointer) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** Every body validated against its operation's request schema (ajv, every error). */
export function violationsOf(bodies: BuiltBody[], description: ApiDescription): Violation[] {
  const out: Violation[] = [];
  for (const body of bodies) {
    const requestBody = body.call.match.operation?.requestBody;
    // Amplitude sends JSON: a schema for another media type (a form) says nothing about it.
    if (!requestBody?.schema || !/json/i.test(requestBody.contentType)) continue;
    const validate = requestValidator(requestBody.schema, description.format);
    if (!validate || validate(body.body)) continue;
    // Each user of a batch is rendered by the same template: one violation per rule and place, not per user.
    const seen = new Set<string>();
    for (const error of validate.errors ?? []) {
      const key = `${error.keyword}|${error.schemaPath}|${error.instancePath.replace(/\/\d+(?=\/|$)/g, '/*')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (AMBIGUOUS.test(error.schemaPath) || ['anyOf', 'oneOf', 'not', 'if', 'false schema'].includes(error.keyword))
        continue;
      // `additionalProperties: false` in one part of an allOf refuses the other parts' keys: a common slip in
      // descriptions that the API's own validation does not make. Not a finding.
      if (error.keyword === 'additionalProperties' && /\/allOf\//.test(error.schemaPath)) continue;
      const pointer = splitPointer(error.instancePath);
      out.push({ body, error, pointer, source: body.locate(pointer), value: valueAt(body.body, pointer) });
    }
  }
  return out;
}

/** A value as evidence: JSON, cut short. */
export function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** The rule as written in the schema: `"maxItems": 500 at #/properties/members_to_add`. */
export function rule(error: ErrorObject): string {
  const at = error.schemaPath.replace(/\/[^/]+$/, '') || '#';
  return `"${error.keyword}": ${shown(error.schema)} at ${at}`;
}
