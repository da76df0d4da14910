import { isObject, type JsonObject } from '../base/value';

/** A partner's declared limits (the manifest's `limits`, this tool's own section). */
export interface PartnerLimits {
  maxBodyBytes?: number;
  maxProperties?: number;
  maxIdentifierLength?: number;
  rateLimitPerMinute?: number;
}

/** The manifest's `limits` object read: a limit that is not a positive number is no limit. */
export function readLimits(limits: JsonObject = {}): PartnerLimits {
  const number = (key: string) => {
    const value = limits[key];
    return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
  };
  return {
    maxBodyBytes: number('maxBodyBytes'),
    maxProperties: number('maxProperties'),
    maxIdentifierLength: number('maxIdentifierLength'),
    rateLimitPerMinute: number('rateLimitPerMinute'),
  };
}

/** One limit one event breaks, in words: `kind` groups the same break across events. */
export interface LimitBreak {
  kind: 'body' | 'properties' | 'identifier';
  message: string;
}

function forwardedKeys(event: Record<string, unknown>): Set<string> {
  const keys = new Set<string>();
  for (const bag of [event.event_properties, event.user_properties])
    if (isObject(bag)) for (const [k, v] of Object.entries(bag)) if (v === null || typeof v !== 'object') keys.add(k);
  return keys;
}

/**
 * How many of the event's properties the rendered body carries: the members, anywhere in the body, named as one
 * of them. A template that caps or picks properties sends fewer than Amplitude forwards; undefined when the
 * body is not JSON (that is reported on its own).
 */
function propertiesInBody(body: string, event: Record<string, unknown>): number | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  const keys = forwardedKeys(event);
  let count = 0;
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (isObject(v))
      for (const [k, child] of Object.entries(v)) {
        if (keys.has(k) && (child === null || typeof child !== 'object')) count++;
        walk(child);
      }
  };
  walk(value);
  return count;
}

/** What of an event and its rendered body exceeds the partner's limits. */
export function limitBreaks(limits: PartnerLimits, event: Record<string, unknown>, body?: string): LimitBreak[] {
  const out: LimitBreak[] = [];
  if (limits.maxBodyBytes !== undefined && body !== undefined) {
    const bytes = Buffer.byteLength(body);
    if (bytes > limits.maxBodyBytes)
      out.push({ kind: 'body', message: `the body is ${bytes} bytes; your limit is ${limits.maxBodyBytes}` });
  }
  const properties = limits.maxProperties !== undefined && body !== undefined && propertiesInBody(body, event);
  if (limits.maxProperties !== undefined && properties && properties > limits.maxProperties)
    out.push({
      kind: 'properties',
      message: `the body carries ${properties} of the event's properties; your limit is ${limits.maxProperties}`,
    });
  if (limits.maxIdentifierLength !== undefined) {
    for (const key of ['user_id', 'device_id']) {
      const value = event[key];
      const bytes = typeof value === 'string' ? Buffer.byteLength(value) : 0;
      if (bytes > limits.maxIdentifierLength)
        out.push({
          kind: 'identifier',
          message: `${key} is ${bytes} bytes; your limit is ${limits.maxIdentifierLength}`,
        });
    }
  }
  return out;
}
