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

function forwardedCount(event: Record<string, unknown>): number {
  const count = (value: unknown) =>
    isObject(value) ? Object.values(value).filter((v) => v === null || typeof v !== 'object').length : 0;
  return count(event.event_properties) + count(event.user_properties);
}

/** What of an event and its rendered body exceeds the partner's limits. */
export function limitBreaks(limits: PartnerLimits, event: Record<string, unknown>, body?: string): LimitBreak[] {
  const out: LimitBreak[] = [];
  if (limits.maxBodyBytes !== undefined && body !== undefined) {
    const bytes = Buffer.byteLength(body);
    if (bytes > limits.maxBodyBytes)
      out.push({ kind: 'body', message: `the body is ${bytes} bytes; your limit is ${limits.maxBodyBytes}` });
  }
  if (limits.maxProperties !== undefined) {
    const properties = forwardedCount(event);
    if (properties > limits.maxProperties)
      out.push({
        kind: 'properties',
        message: `Amplitude forwards ${properties} properties; your limit is ${limits.maxProperties}`,
      });
  }
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
