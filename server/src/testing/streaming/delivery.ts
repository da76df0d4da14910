import { duration } from '../../base/timeouts';
import type { SendResult } from '../send';

/*
 * What Amplitude does with an event streaming answer (events and identify forwarding alike), from its public pages:
 * - "Webhooks" (https://amplitude.com/docs/data/destination-catalog/webhooks), "Amplitude's retry mechanism": a
 *   first delivery attempt, then nine more attempts over 4 hours, regardless of the error (a 4xx included); within
 *   each attempt, on 5xx and 429, up to 3 tries, the first wait 100 ms, doubling each time with 50% jitter, and no
 *   further try after 4 seconds.
 * - "Create an Event Streaming Integration" (https://amplitude.com/docs/partners/create-an-event-streaming-integration):
 *   "a retry mechanism with exponential backoff that tries 9 times over 4 hours".
 * The two disagree on the count (9 tries in all, or a first attempt plus nine). We follow the Webhooks page: it
 * describes the mechanism itself (attempts, the tries within one, which errors), where the portal page sums it up
 * in a sentence; and ten attempts is the safe figure for a partner sizing its API.
 * Ours, not the documents' (said wherever the times are shown):
 * - the spacing of the nine attempts: the pages say only "over 4 hours"; we double the gap each time, the gaps
 *   adding up to exactly 4 hours (about 28 s, 56 s, 113 s ... 2 h);
 * - "50% jitter" read as the wait times a uniform factor in [0.5, 1.5): the first wait 50-150 ms, the second
 *   100-300 ms;
 * - "no further try after 4 seconds" read as: no try starts more than 4 s after its attempt's first try started;
 * - no answer at all (refused, reset, timed out) ends the attempt like any error, without tries within it (the page
 *   names 5xx and 429 only); a redirect is an error too (Amplitude does not follow redirects);
 * - Retry-After is not honoured: neither page mentions it (the portal page says Amplitude respects the rate limit
 *   the partner declares to it, which is the manifest's limits.rateLimitPerMinute). The header is shown, and said
 *   to be waited for by nothing.
 */

/** The first attempt and the nine more (Webhooks page). */
export const ATTEMPTS = 10;
export const ATTEMPT_WINDOW_SECONDS = 4 * 60 * 60;
/** Tries within one attempt, on 5xx and 429 (Webhooks page). */
export const TRIES_PER_ATTEMPT = 3;
/** The wait before an attempt's second try; it doubles before the third (Webhooks page). */
export const FIRST_TRY_WAIT_MS = 100;
/** "50% jitter": each wait times a factor in [1 - JITTER, 1 + JITTER) (our reading). */
export const JITTER = 0.5;
/** No try starts later than this after its attempt began (Webhooks page). */
export const ATTEMPT_CUT_MS = 4000;

/**
 * When each attempt starts, in seconds after the first (attempt 1 at 0, attempt 10 at 4 h). OUR spacing: the
 * documents give only the total; the gaps double, rounded to the second, the last attempt at exactly 4 hours.
 */
export const ATTEMPT_OFFSETS_SECONDS: readonly number[] = (() => {
  const first = ATTEMPT_WINDOW_SECONDS / (2 ** (ATTEMPTS - 1) - 1);
  return Array.from({ length: ATTEMPTS }, (_, i) => Math.round(first * (2 ** i - 1)));
})();

/** A number in [0, 1), as Math.random gives (injectable, so tests can seed it). */
export type RandomSource = () => number;
/** Milliseconds on a monotonic clock (injectable, so tests can move it). */
export interface DeliveryClock {
  now(): number;
}

/** The bounds of the wait before try `nextTry` (2 or 3) of an attempt, in ms. */
export function tryWaitBounds(nextTry: number): { nominalMs: number; minMs: number; maxMs: number } {
  const nominalMs = FIRST_TRY_WAIT_MS * 2 ** (nextTry - 2);
  return { nominalMs, minMs: nominalMs * (1 - JITTER), maxMs: nominalMs * (1 + JITTER) };
}

/** The wait before try `nextTry` of an attempt: the nominal wait with its jitter. */
export function tryWaitMs(nextTry: number, random: RandomSource): number {
  const { nominalMs } = tryWaitBounds(nextTry);
  return nominalMs * (1 - JITTER + 2 * JITTER * random());
}

/** Amplitude tries again within the attempt: a 5xx or a 429 (Webhooks page). */
export function retriedWithinAttempt(result: SendResult): boolean {
  return result.ok && (result.status === 429 || result.status >= 500);
}

const delivered = (result: SendResult) => result.ok && result.status >= 200 && result.status < 300;

/** The answer in the partner's words. */
export function answerReason(result: SendResult): string {
  if (!result.ok) return `no answer (${result.message})`;
  const { status } = result;
  if (status === 429) return 'rate limited (429)';
  if (status >= 500) return `server error (${status})`;
  if (status >= 300 && status < 400) return `a redirect (${status}), which Amplitude does not follow`;
  return `client error (${status})`;
}

/** Where one event's delivery stands when an answer comes back. */
export interface DeliveryPosition {
  /** 1-based, up to ATTEMPTS. */
  attempt: number;
  /** The try within the attempt, 1-based, up to TRIES_PER_ATTEMPT. */
  try: number;
  attemptStartedMs: number;
  firstAttemptStartedMs: number;
}

export type DeliveryStep =
  | { kind: 'delivered'; attempt: number; try: number }
  /** Another try within this attempt, after `waitMs` (real time: it is about the partner's answer times). */
  | { kind: 'try'; attempt: number; try: number; waitMs: number; reason: string }
  /** The next attempt (number `attempt`), `atSeconds` after the first on the schedule, after `waitMs` (scaled). */
  | { kind: 'attempt'; attempt: number; atSeconds: number; waitMs: number; reason: string; cut: boolean }
  | { kind: 'dropped'; attempt: number; reason: string };

export interface DeliveryTiming {
  clock: DeliveryClock;
  random: RandomSource;
  /** Share of the attempt schedule to wait (1 = the real 4 hours); the waits within an attempt are not scaled. */
  timeScale?: number;
}

/** What Amplitude does after this answer, at `position`: deliver, try again within the attempt, attempt again, drop. */
export function nextDeliveryStep(result: SendResult, position: DeliveryPosition, timing: DeliveryTiming): DeliveryStep {
  const { attempt } = position;
  if (delivered(result)) return { kind: 'delivered', attempt, try: position.try };
  const reason = answerReason(result);
  let cut = false;
  if (retriedWithinAttempt(result) && position.try < TRIES_PER_ATTEMPT) {
    const waitMs = tryWaitMs(position.try + 1, timing.random);
    const startsAt = timing.clock.now() + waitMs - position.attemptStartedMs;
    if (startsAt <= ATTEMPT_CUT_MS) return { kind: 'try', attempt, try: position.try + 1, waitMs, reason };
    cut = true;
  }
  if (attempt >= ATTEMPTS)
    return { kind: 'dropped', attempt, reason: `${reason} on all ${ATTEMPTS} attempts over 4 hours` };
  const atSeconds = ATTEMPT_OFFSETS_SECONDS[attempt];
  const startsAt = position.firstAttemptStartedMs + atSeconds * 1000 * (timing.timeScale ?? 1);
  return {
    kind: 'attempt',
    attempt: attempt + 1,
    atSeconds,
    waitMs: Math.max(0, startsAt - timing.clock.now()),
    reason,
    cut,
  };
}

/** What Amplitude would do next after one answer (a test's, the response panel's): the steps and their times. */
export interface DeliveryVerdict {
  outcome: 'delivered' | 'retry';
  reason: string;
  /** The tries still to come within this attempt if the answer stays 5xx or 429, each start after the first try. */
  triesInAttempt: { try: number; nominalMs: number; minMs: number; maxMs: number; startsAtMs: number }[];
  /** The later attempts, each start in seconds after the first (our spacing). */
  attempts: { attempt: number; atSeconds: number }[];
  /** Retry-After as the answer sent it: shown, waited for by nothing (no document says Amplitude does). */
  retryAfter?: string;
  /** The verdict in a sentence. */
  text: string;
  /** The steps with their times, a line each. */
  lines: string[];
}

const WEBHOOKS_PAGE = 'https://amplitude.com/docs/data/destination-catalog/webhooks';

/** The tries within the attempt still to come, if each answer takes as long as this one did. */
function triesLeft(result: SendResult): DeliveryVerdict['triesInAttempt'] {
  if (!retriedWithinAttempt(result)) return [];
  const answerMs = result.timing.totalMs;
  const tries: DeliveryVerdict['triesInAttempt'] = [];
  let answeredAt = answerMs;
  for (let next = 2; next <= TRIES_PER_ATTEMPT; next++) {
    const bounds = tryWaitBounds(next);
    const startsAtMs = answeredAt + bounds.nominalMs;
    if (startsAtMs > ATTEMPT_CUT_MS) break;
    tries.push({ try: next, ...bounds, startsAtMs });
    answeredAt = startsAtMs + answerMs;
  }
  return tries;
}

function withinAttemptLine(result: SendResult, tries: DeliveryVerdict['triesInAttempt']): string {
  if (!retriedWithinAttempt(result))
    return result.ok
      ? 'No other try within this attempt: Amplitude tries again within an attempt on 5xx and 429 only.'
      : 'No other try within this attempt: the documents name 5xx and 429 only (our reading for no answer).';
  const said = tries.map((t, i) => {
    const when = i === 0 ? 'in' : 'after that answer, in';
    return `try ${t.try} ${when} ~${t.nominalMs} ms (${t.minMs}-${t.maxMs} ms)`;
  });
  const cut = `no try starts more than ${ATTEMPT_CUT_MS / 1000} s after the attempt began`;
  if (said.length === 0)
    return `No other try within this attempt: this answer took ${Math.round(result.timing.totalMs)} ms, and ${cut}.`;
  const slow = said.length < TRIES_PER_ATTEMPT - 1 ? ` (answers this slow leave room for no more: ${cut})` : `; ${cut}`;
  return `Within this attempt, while the answer is 5xx or 429: ${said.join(', ')}${slow}.`;
}

function attemptsLine(attempts: DeliveryVerdict['attempts']): string {
  const times = attempts.map((a) => `+${duration(a.atSeconds)}`).join(', ');
  return (
    `Then attempts 2-${ATTEMPTS} at ${times} after the first, whatever the error (the spacing is this tool's: ` +
    `Amplitude documents "nine more attempts over 4 hours" only).`
  );
}

/** The verdict on an event's first answer (a test sends one): what Amplitude would do next, with the times. */
export function deliveryOf(result: SendResult): DeliveryVerdict {
  const reason = answerReason(result);
  if (delivered(result))
    return {
      outcome: 'delivered',
      reason,
      triesInAttempt: [],
      attempts: [],
      text: 'Amplitude would count this event as delivered.',
      lines: [],
    };
  const triesInAttempt = triesLeft(result);
  const attempts = ATTEMPT_OFFSETS_SECONDS.slice(1).map((atSeconds, i) => ({ attempt: i + 2, atSeconds }));
  const retryAfter = result.ok ? result.headers['retry-after'] : undefined;
  const anyway = retriedWithinAttempt(result) ? '' : ' anyway';
  const text =
    `Amplitude would retry this${anyway} (${reason}): ` +
    (triesInAttempt.length
      ? `${triesInAttempt.length} more tr${triesInAttempt.length === 1 ? 'y' : 'ies'} now, `
      : '') +
    `then the next attempt at +${duration(attempts[0].atSeconds)}, ${ATTEMPTS - 1} more attempts over 4 hours; ` +
    `after the last it drops the event.`;
  const lines = [withinAttemptLine(result, triesInAttempt), attemptsLine(attempts)];
  lines.push(`After attempt ${ATTEMPTS} fails, Amplitude drops the event.`);
  if (retryAfter !== undefined)
    lines.push(
      `Retry-After: ${retryAfter} in the answer: no Amplitude document says it waits for it, so these times do ` +
        'not (nor does replay); the rate limit Amplitude respects is the one you declare (limits.rateLimitPerMinute).',
    );
  lines.push(`From Amplitude's "Webhooks" page, "Amplitude's retry mechanism" (${WEBHOOKS_PAGE}).`);
  return { outcome: 'retry', reason, triesInAttempt, attempts, retryAfter, text, lines };
}
