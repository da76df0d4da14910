import type { SendResult } from './send';

/**
 * What Amplitude does with an event streaming answer. From Amplitude's documentation (seeds 000, 003):
 * "a retry mechanism with exponential backoff that tries 9 times over 4 hours", and it respects the rate
 * limit a partner communicates. The rest is this tool's assumption, written here once: 2xx is delivered;
 * no answer, a timeout, 408, 429 and 5xx are retried; any other status (4xx, a redirect, which Amplitude
 * does not follow) drops the event at once; a Retry-After longer than the next wait is honoured.
 */
export const MAX_TRIES = 9;
export const RETRY_WINDOW_SECONDS = 4 * 60 * 60;

/** Waits before tries 2..9: doubling, adding up to the 4-hour window (about 56 s, 113 s, ... 2 h). */
export const RETRY_SCHEDULE_SECONDS: readonly number[] = (() => {
  const retries = MAX_TRIES - 1;
  const first = RETRY_WINDOW_SECONDS / (2 ** retries - 1);
  return Array.from({ length: retries }, (_, i) => Math.round(first * 2 ** i));
})();

export type DeliveryOutcome = 'delivered' | 'retry' | 'dropped';

export interface DeliveryVerdict {
  outcome: DeliveryOutcome;
  /** Why, in the partner's words. */
  reason: string;
  /** Which try this answer was (1-based). */
  attempt: number;
  /** For a retry: the wait before the next try, in seconds. */
  nextInSeconds?: number;
  /** The verdict in a sentence, for the response panel and the CLI. */
  text: string;
}

function retryAfterSeconds(headers: Record<string, string>): number | undefined {
  const value = headers['retry-after'];
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.round((date - Date.now()) / 1000));
}

function retryable(result: SendResult): string | undefined {
  if (!result.ok) return `no answer (${result.message})`;
  if (result.status === 429) return 'rate limited (429)';
  if (result.status === 408) return 'request timeout (408)';
  if (result.status >= 500) return `server error (${result.status})`;
  return undefined;
}

/** The verdict on the answer to try `attempt` (1-based) of one event. */
export function deliveryOf(result: SendResult, attempt = 1): DeliveryVerdict {
  const verdict = judgeDelivery(result, attempt);
  return { ...verdict, text: describeDelivery(verdict) };
}

/** The verdict without its sentence (a replay words only the drops). */
export function judgeDelivery(result: SendResult, attempt: number): Omit<DeliveryVerdict, 'text'> {
  if (result.ok && result.status >= 200 && result.status < 300)
    return { outcome: 'delivered', reason: `${result.status}`, attempt };
  const why = retryable(result);
  if (!why) {
    const status = result.ok ? result.status : 0;
    const kind =
      status >= 300 && status < 400 ? 'a redirect Amplitude does not ' + 'follow' : 'an error a retry would not fix';
    return { outcome: 'dropped', reason: `${status}: ${kind}`, attempt };
  }
  if (attempt >= MAX_TRIES) return { outcome: 'dropped', reason: `${why} on all ${MAX_TRIES} tries`, attempt };
  const scheduled = RETRY_SCHEDULE_SECONDS[attempt - 1];
  const asked = result.ok ? retryAfterSeconds(result.headers) : undefined;
  const nextInSeconds = asked !== undefined && asked > scheduled ? asked : scheduled;
  return { outcome: 'retry', reason: why, attempt, nextInSeconds };
}

function duration(seconds: number): string {
  if (seconds < 90) return `${seconds} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1).replace(/\.0$/, '')} h`;
}

/** The verdict as the response panel and the CLI say it. */
export function describeDelivery(verdict: Omit<DeliveryVerdict, 'text'>): string {
  switch (verdict.outcome) {
    case 'delivered':
      return 'Amplitude would count this event as delivered.';
    case 'dropped':
      return `Amplitude would drop this event without retrying: ${verdict.reason}.`;
    default: {
      const left = MAX_TRIES - verdict.attempt;
      return (
        `Amplitude would retry this (${verdict.reason}): next attempt in ~${duration(verdict.nextInSeconds ?? 0)}, ` +
        `${left} more tr${left === 1 ? 'y' : 'ies'}; it gives up after ${MAX_TRIES} tries over about 4 hours.`
      );
    }
  }
}
