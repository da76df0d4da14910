import * as assert from 'node:assert/strict';
import {
  ATTEMPT_CUT_MS,
  ATTEMPT_OFFSETS_SECONDS,
  ATTEMPTS,
  deliveryOf,
  nextDeliveryStep,
  TRIES_PER_ATTEMPT,
  tryWaitMs,
  type DeliveryPosition,
  type DeliveryStep,
} from '../../server/src/testing/streaming/delivery';
import type { SendResult } from '../../server/src/testing/send';
import { seededRandom } from '../../server/src/base/random';

const answer = (status: number, headers: Record<string, string> = {}, totalMs = 12): SendResult => ({
  ok: true,
  status,
  statusText: '',
  headers,
  body: '',
  bytes: 0,
  truncated: false,
  timing: { waitingMs: totalMs, downloadMs: 0, totalMs },
});
const refused: SendResult = { ok: false, code: 'refused', message: 'connection refused', timing: { totalMs: 1 } };

interface Sent {
  at: number;
  attempt: number;
  try: number;
}

/**
 * One event delivered as a replay would, on a fake clock: each answer takes `latencyMs`, each wait moves the clock.
 * Returns every request (when, which attempt and try) and the last step.
 */
function walk(answers: (n: number) => SendResult, options: { latencyMs?: number; timeScale?: number; seed?: number }) {
  let now = 0;
  const clock = { now: () => now };
  const timing = { clock, random: seededRandom(options.seed ?? 1), timeScale: options.timeScale };
  let at: DeliveryPosition = { attempt: 1, try: 1, attemptStartedMs: 0, firstAttemptStartedMs: 0 };
  const sent: Sent[] = [];
  const steps: DeliveryStep[] = [];
  for (let n = 0; n < 100; n++) {
    sent.push({ at: now, attempt: at.attempt, try: at.try });
    now += options.latencyMs ?? 10;
    const step = nextDeliveryStep(answers(n), at, timing);
    steps.push(step);
    if (step.kind === 'delivered' || step.kind === 'dropped') return { sent, steps, last: step };
    now += step.waitMs;
    at =
      step.kind === 'try' ? { ...at, try: step.try } : { ...at, attempt: step.attempt, try: 1, attemptStartedMs: now };
  }
  throw new Error('the delivery never ended');
}

describe("Amplitude's streaming delivery model (the Webhooks page's retry mechanism)", () => {
  it('a first attempt and nine more, the last 4 hours after the first; the gaps double (our spacing)', () => {
    assert.equal(ATTEMPTS, 10);
    assert.equal(ATTEMPT_OFFSETS_SECONDS.length, 10);
    assert.equal(ATTEMPT_OFFSETS_SECONDS[0], 0);
    assert.equal(ATTEMPT_OFFSETS_SECONDS[9], 4 * 3600);
    const gaps = ATTEMPT_OFFSETS_SECONDS.slice(1).map((t, i) => t - ATTEMPT_OFFSETS_SECONDS[i]);
    for (let i = 1; i < gaps.length; i++) assert.ok(Math.abs(gaps[i] - 2 * gaps[i - 1]) <= 2, gaps.join(', '));
  });

  it('every wait within an attempt is 100 ms, then 200 ms, each with 50% jitter: within [0.5, 1.5) of it', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const random = seededRandom(seed);
      for (let i = 0; i < 20; i++) {
        const second = tryWaitMs(2, random);
        const third = tryWaitMs(3, random);
        assert.ok(second >= 50 && second < 150, `${second}`);
        assert.ok(third >= 100 && third < 300, `${third}`);
      }
    }
    assert.equal(
      tryWaitMs(2, () => 0),
      50,
    );
    assert.ok(tryWaitMs(3, () => 0.999999) > 299.99);
  });

  it('a 5xx every time: 3 tries in each attempt, 10 attempts on the schedule, then the event is dropped', () => {
    const { sent, last } = walk(() => answer(503), { timeScale: 1 });
    assert.equal(sent.length, ATTEMPTS * TRIES_PER_ATTEMPT);
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      const tries = sent.filter((s) => s.attempt === attempt);
      assert.deepEqual(
        tries.map((s) => s.try),
        [1, 2, 3],
      );
      assert.equal(tries[0].at, ATTEMPT_OFFSETS_SECONDS[attempt - 1] * 1000, `attempt ${attempt} starts on time`);
      const [first, second, third] = tries.map((s) => s.at);
      assert.ok(second - first - 10 >= 50 && second - first - 10 < 150);
      assert.ok(third - second - 10 >= 100 && third - second - 10 < 300);
    }
    assert.deepEqual(last, {
      kind: 'dropped',
      attempt: 10,
      reason: 'server error (503) on all 10 attempts over 4 hours',
    });
  });

  it('429, 429, 200: tried again twice within the first attempt and delivered', () => {
    const statuses = [429, 429, 200];
    const { sent, last } = walk((n) => answer(statuses[n]), {});
    assert.deepEqual(
      sent.map((s) => [s.attempt, s.try]),
      [
        [1, 1],
        [1, 2],
        [1, 3],
      ],
    );
    assert.equal(last.kind, 'delivered');
  });

  it('no try starts more than 4 s after its attempt began: slow answers end the attempt early', () => {
    // Answers of 1.9 s: try 2 starts at ~2 s, answers at ~3.9 s; try 3 would start past 4 s.
    const { sent, steps } = walk(() => answer(503, {}, 1900), { latencyMs: 1900 });
    assert.deepEqual(
      sent.filter((s) => s.attempt === 1).map((s) => s.try),
      [1, 2],
    );
    const ended = steps[1];
    assert.equal(ended.kind, 'attempt');
    assert.equal(ended.kind === 'attempt' && ended.cut, true);
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      const tries = sent.filter((s) => s.attempt === attempt);
      for (const t of tries) assert.ok(t.at - tries[0].at <= ATTEMPT_CUT_MS);
    }
    // An answer of 3.95 s leaves no room for a second try.
    const slower = walk(() => answer(503, {}, 3950), { latencyMs: 3950 });
    assert.deepEqual(
      slower.sent.filter((s) => s.attempt === 1).map((s) => s.try),
      [1],
    );
  });

  it('a 400 is retried anyway: no try within the attempt, the next attempt on the schedule, ten in all', () => {
    const { sent, steps, last } = walk(() => answer(400), { timeScale: 0.001 });
    assert.equal(sent.length, ATTEMPTS);
    assert.ok(sent.every((s) => s.try === 1));
    const first = steps[0];
    assert.equal(first.kind, 'attempt');
    assert.equal(first.kind === 'attempt' && first.atSeconds, ATTEMPT_OFFSETS_SECONDS[1]);
    // Time-scaled: attempt n starts ATTEMPT_OFFSETS_SECONDS[n-1] ms (seconds × 0.001) after the first.
    sent.forEach((s, i) => assert.equal(s.at, Math.max(ATTEMPT_OFFSETS_SECONDS[i], i === 0 ? 0 : sent[i - 1].at + 10)));
    assert.equal(last.kind, 'dropped');
    assert.match(last.kind === 'dropped' ? last.reason : '', /^client error \(400\) on all 10 attempts/);
  });

  it('400 then 200: delivered on the second attempt', () => {
    const { sent, last } = walk((n) => answer(n === 0 ? 400 : 200), {});
    assert.deepEqual(
      sent.map((s) => [s.attempt, s.try, s.at]),
      [
        [1, 1, 0],
        [2, 1, ATTEMPT_OFFSETS_SECONDS[1] * 1000],
      ],
    );
    assert.equal(last.kind, 'delivered');
  });

  it('no answer and a redirect end the attempt like any error; Retry-After changes no time', () => {
    assert.equal(walk(() => refused, {}).sent.length, ATTEMPTS);
    assert.equal(walk(() => answer(302), {}).sent.length, ATTEMPTS);
    const asked = walk(() => answer(429, { 'retry-after': '600' }), { seed: 7 });
    const plain = walk(() => answer(429), { seed: 7 });
    assert.deepEqual(asked.sent, plain.sent);
  });
});

describe('what Amplitude would do next, as a test and the response panel say it', () => {
  it('429: the tries within this attempt with their times, then attempts 2-10 with theirs', () => {
    const verdict = deliveryOf(answer(429, { 'retry-after': '30' }));
    assert.equal(verdict.outcome, 'retry');
    assert.deepEqual(
      verdict.triesInAttempt.map((t) => [t.try, t.nominalMs, t.minMs, t.maxMs]),
      [
        [2, 100, 50, 150],
        [3, 200, 100, 300],
      ],
    );
    assert.deepEqual(
      verdict.attempts.map((a) => a.atSeconds),
      ATTEMPT_OFFSETS_SECONDS.slice(1),
    );
    assert.match(
      verdict.text,
      /retry this \(rate limited \(429\)\): 2 more tries now, then the next attempt at \+28 s/,
    );
    const said = verdict.lines.join('\n');
    assert.match(said, /try 2 in ~100 ms \(50-150 ms\), try 3 after that answer, in ~200 ms \(100-300 ms\)/);
    assert.match(said, /attempts 2-10 at \+28 s, \+85 s, \+3\.3 min, \+7 min, \+15 min, \+30 min, \+1 h, \+2 h, \+4 h/);
    assert.match(said, /spacing is this tool's/);
    assert.match(said, /Retry-After: 30 .*no Amplitude document says it waits for it/);
    assert.match(said, /amplitude\.com\/docs\/data\/destination-catalog\/webhooks/);
  });

  it('400: retried anyway, the next attempt at +28 s; no try within the attempt', () => {
    const verdict = deliveryOf(answer(400));
    assert.equal(verdict.outcome, 'retry');
    assert.deepEqual(verdict.triesInAttempt, []);
    assert.match(verdict.text, /retry this anyway \(client error \(400\)\): then the next attempt at \+28 s/);
    assert.match(verdict.lines[0], /on 5xx and 429 only/);
  });

  it('a 503 that took 3.95 s: no room for another try in this attempt, said with why', () => {
    const verdict = deliveryOf(answer(503, {}, 3950));
    assert.deepEqual(verdict.triesInAttempt, []);
    assert.match(verdict.lines[0], /this answer took 3950 ms, and no try starts more than 4 s after/);
  });

  it('2xx: delivered, nothing more', () => {
    const verdict = deliveryOf(answer(202));
    assert.equal(verdict.outcome, 'delivered');
    assert.deepEqual(verdict.lines, []);
  });
});
