import { duration } from '../../base/timeouts';
import type { SendResult } from '../send';

/**
 * What Amplitude does when a cohort sync request fails, from "Receiving Behavioral Cohorts"
 * (https://amplitude.com/docs/partners/receiving-behavioral-cohorts): "if a request fails, Amplitude retries
 * eight times exponentially backing off starting with a one-second delay and ramping up to over two minutes for
 * the last retry". So: 8 retries after the first try, waits of 1 s doubling (1, 2, 4 ... 128 s: the eighth is
 * 128 s, "over two minutes"), 9 tries in all.
 *
 * Which answers count as "fails" is our reading, since the page names no exception: no answer at all (refused,
 * reset, a deadline), and any HTTP status outside 2xx (429 and 5xx, and 4xx too: the page does not exempt
 * them, so a 400 or 401 is retried as well and fails the same way nine times). A 2xx is not retried even when
 * the error table classifies its body: the page speaks of a failed request, and the table only chooses the
 * message the customer sees. The same page states no use of Retry-After, so none is made.
 */
export const COHORT_RETRIES = 8;
export const COHORT_FIRST_RETRY_SECONDS = 1;
export const COHORT_RETRIES_SOURCE =
  '"Receiving Behavioral Cohorts" (https://amplitude.com/docs/partners/receiving-behavioral-cohorts)';

/** The wait before each retry, in seconds: 1, 2, 4, 8, 16, 32, 64, 128. */
export const COHORT_RETRY_WAITS_SECONDS: readonly number[] = Array.from(
  { length: COHORT_RETRIES },
  (_, i) => COHORT_FIRST_RETRY_SECONDS * 2 ** i,
);

/** Why Amplitude would retry this answer, or undefined when it is a success (our reading, above). */
export function cohortFailure(result: SendResult): string | undefined {
  if (!result.ok) return `no answer (${result.code})`;
  if (result.status >= 200 && result.status < 300) return undefined;
  if (result.status === 429) return 'rate limited (429)';
  if (result.status >= 500) return `server error (${result.status})`;
  if (result.status >= 300 && result.status < 400) return `a redirect Amplitude does not follow (${result.status})`;
  return `client error (${result.status})`;
}

export interface ScheduledRetry {
  /** 1..8 */
  retry: number;
  /** The wait before it, in seconds. */
  waitSeconds: number;
  /** When it would be sent: `failedAtMs` plus this wait and every wait before it (the clock's milliseconds). */
  atMs: number;
}

export interface CohortRetryVerdict {
  outcome: 'succeeded' | 'retry' | 'failed';
  reason?: string;
  /** Which try this answer was (1-based: 1 is the first send, 2 the first retry). */
  attempt: number;
  /** The retries still to come, with their times, when the outcome is `retry`. */
  next: ScheduledRetry[];
  /** The verdict in a sentence, for `test`, the response panel and simulate. */
  text: string;
}

/** The retries still to come after try `attempt` failed at `failedAtMs` (pure: the caller's clock). */
export function retriesAfter(attempt: number, failedAtMs: number): ScheduledRetry[] {
  const out: ScheduledRetry[] = [];
  let at = failedAtMs;
  for (let retry = attempt; retry <= COHORT_RETRIES; retry++) {
    const waitSeconds = COHORT_RETRY_WAITS_SECONDS[retry - 1];
    at += waitSeconds * 1000;
    out.push({ retry, waitSeconds, atMs: at });
  }
  return out;
}

function describe(verdict: Omit<CohortRetryVerdict, 'text'>): string {
  if (verdict.outcome === 'succeeded') return 'Amplitude would count this request as sent.';
  if (verdict.outcome === 'failed')
    return (
      `Amplitude would report this request failed (${verdict.reason}): ` +
      `it was try ${verdict.attempt}, the last of 1 + ${COHORT_RETRIES} retries.`
    );
  const [first] = verdict.next;
  const waits = verdict.next.map((r) => `${r.waitSeconds} s`).join(', ');
  const total = verdict.next.reduce((sum, r) => sum + r.waitSeconds, 0);
  return (
    `Amplitude would retry this (${verdict.reason}): retry ${first.retry} of ${COHORT_RETRIES} ` +
    `in ${duration(first.waitSeconds)}; the retries left wait ${waits} (${duration(total)} in all), ` +
    `then it reports the request failed.`
  );
}

/** What Amplitude would do next with the answer to try `attempt` of a cohort sync request, failed at `nowMs`. */
export function cohortRetryOf(result: SendResult, attempt = 1, nowMs = Date.now()): CohortRetryVerdict {
  const reason = cohortFailure(result);
  let verdict: Omit<CohortRetryVerdict, 'text'>;
  if (reason === undefined) verdict = { outcome: 'succeeded', attempt, next: [] };
  else if (attempt > COHORT_RETRIES) verdict = { outcome: 'failed', reason, attempt, next: [] };
  else verdict = { outcome: 'retry', reason, attempt, next: retriesAfter(attempt, nowMs) };
  return { ...verdict, text: describe(verdict) };
}
