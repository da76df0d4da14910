import { isObject } from '../base/value';

/** How the mock misbehaves, for testing what a partner's API can do to a sync. */
export type Behaviour =
  | { kind: 'ok' }
  | { kind: 'status'; status: number; body?: unknown }
  | { kind: 'slow'; delayMs: number }
  | { kind: 'huge'; bytes: number }
  | { kind: 'reset' }
  | { kind: 'invalid-json' }
  | { kind: 'rate-limit'; retryAfterSeconds: number }
  | { kind: 'redirect-loop' }
  | { kind: 'stall-body' }
  | { kind: 'trickle'; bytesPerSecond: number };

export class BehaviourError extends Error {}

const KINDS = [
  'ok',
  'status',
  'slow',
  'huge',
  'reset',
  'invalid-json',
  'rate-limit',
  'redirect-loop',
  'stall-body',
  'trickle',
];

function number(value: string | number | undefined, fallback: number, what: string, min: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new BehaviourError(`${what} must be a number from ${min} to ${max}, not "${value}".`);
  return n;
}

function statusBehaviour(arg: string): Behaviour {
  const [code, ...rest] = arg.split(':');
  const status = number(code, NaN, 'The status', 100, 599);
  if (!Number.isInteger(status)) throw new BehaviourError('status needs a code, for example status:401.');
  if (rest.length === 0) return { kind: 'status', status };
  try {
    return { kind: 'status', status, body: JSON.parse(rest.join(':')) as unknown };
  } catch {
    throw new BehaviourError(
      `The body after status:${status}: must be JSON, for example status:400:{"error_code":1001}.`,
    );
  }
}

/** `NAME[:ARG]`, as `--misbehave` and the runtime switch's string form take it. */
export function parseBehaviour(spec: string): Behaviour {
  const [kind, ...rest] = spec.trim().split(':');
  const arg = rest.join(':');
  switch (kind) {
    case 'ok':
    case 'reset':
    case 'invalid-json':
    case 'redirect-loop':
    case 'stall-body':
      return { kind };
    case 'status':
      return statusBehaviour(arg);
    case 'slow':
      return { kind: 'slow', delayMs: number(arg, 5000, 'slow', 0, 600_000) };
    case 'huge':
      return { kind: 'huge', bytes: number(arg, 20 * 1024 * 1024, 'huge', 0, 10 * 1024 * 1024 * 1024) };
    case 'rate-limit':
      return { kind: 'rate-limit', retryAfterSeconds: number(arg, 30, 'rate-limit', 0, 86_400) };
    case 'trickle':
      return { kind: 'trickle', bytesPerSecond: number(arg, 1, 'trickle', 1, 1_000_000) };
    default:
      throw new BehaviourError(`Unknown misbehaviour "${kind}": one of ${KINDS.join(', ')}.`);
  }
}

/**
 * The runtime switch's body (`POST /__mock/behaviour`), in any documented form: `{"kind": "status:401:{...}"}`,
 * `{"kind": "status", "arg": "401"}`, or the object itself (`{"kind": "status", "status": 401, "body": {...}}`).
 * Anything else is a BehaviourError (the switch answers 400).
 */
export function behaviourFromJson(value: unknown): Behaviour {
  if (!isObject(value) || typeof value.kind !== 'string') {
    throw new BehaviourError('The body must be a JSON object with a "kind", for example {"kind": "status:401"}.');
  }
  const { kind } = value;
  if (kind.includes(':')) return parseBehaviour(kind);
  if (typeof value.arg === 'string' || typeof value.arg === 'number') return parseBehaviour(`${kind}:${value.arg}`);
  switch (kind) {
    case 'status':
      if (typeof value.status !== 'number') throw new BehaviourError('"status" needs a "status" number or an "arg".');
      return { ...statusBehaviour(String(value.status)), ...(value.body === undefined ? {} : { body: value.body }) };
    case 'slow':
      return { kind, delayMs: number(value.delayMs as number | undefined, 5000, 'delayMs', 0, 600_000) };
    case 'huge':
      return { kind, bytes: number(value.bytes as number | undefined, 20 * 1024 * 1024, 'bytes', 0, 10 * 1024 ** 3) };
    case 'rate-limit':
      return {
        kind,
        retryAfterSeconds: number(value.retryAfterSeconds as number | undefined, 30, 'retryAfterSeconds', 0, 86_400),
      };
    case 'trickle':
      return {
        kind,
        bytesPerSecond: number(value.bytesPerSecond as number | undefined, 1, 'bytesPerSecond', 1, 1_000_000),
      };
    default:
      return parseBehaviour(kind);
  }
}
