import * as assert from 'assert';
import { startMockPartner, type MockPartner } from '../../server/src/mock/mockPartner';
import type { ManifestMockState, MockFixtures } from '../../server/src/mock/manifestHandler';
import { cohortRetryOf, COHORT_RETRY_WAITS_SECONDS, retriesAfter } from '../../server/src/testing/cohort/cohortRetry';
import { simulateSync, type SyncClock } from '../../server/src/testing/cohort/simulate';
import { EndpointSender, type SendResult } from '../../server/src/testing/send';
import { DEFAULT_TEST_VALUES } from '../../server/src/testing/values';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCliProcess } from '../helpers/cli';
import { analyzeAs, EXAMPLE_FILES, readExample } from '../helpers/manifests';

const answer = (status: number): SendResult => ({
  ok: true,
  status,
  statusText: '',
  headers: {},
  body: '',
  bytes: 0,
  truncated: false,
  timing: { waitingMs: 1, downloadMs: 0, totalMs: 1 },
});

/** A clock that waits no time: each wait moves it on, and is written down. */
function fakeClock(start = 1_000_000): SyncClock & { waits: number[] } {
  let now = start;
  const waits: number[] = [];
  return {
    waits,
    now: () => now,
    wait: (ms) => {
      waits.push(ms);
      now += ms;
      return Promise.resolve();
    },
  };
}

describe('cohort sync retries (Receiving Behavioral Cohorts: eight retries from 1 s doubling)', () => {
  it('the schedule: 1, 2, 4 ... 128 s, the eighth over two minutes', () => {
    assert.deepStrictEqual(COHORT_RETRY_WAITS_SECONDS, [1, 2, 4, 8, 16, 32, 64, 128]);
    const times = retriesAfter(1, 0).map((r) => r.atMs);
    assert.deepStrictEqual(times, [1000, 3000, 7000, 15_000, 31_000, 63_000, 127_000, 255_000]);
  });

  it('what Amplitude would do next, at the times of the clock it is given', () => {
    const t0 = Date.UTC(2026, 0, 1);
    const first = cohortRetryOf(answer(429), 1, t0);
    assert.strictEqual(first.outcome, 'retry');
    assert.strictEqual(first.next[0].atMs, t0 + 1000);
    assert.match(first.text, /retry 1 of 8 in 1 s/);
    const fifth = cohortRetryOf(answer(503), 5, t0);
    assert.deepStrictEqual(
      fifth.next.map((r) => [r.retry, r.waitSeconds]),
      [
        [5, 16],
        [6, 32],
        [7, 64],
        [8, 128],
      ],
    );
    assert.strictEqual(cohortRetryOf(answer(500), 9, t0).outcome, 'failed');
    assert.strictEqual(cohortRetryOf(answer(204), 1, t0).outcome, 'succeeded');
  });

  it('our reading of "if a request fails": no answer, 429, 5xx and 4xx are retried; a 2xx is not', () => {
    const noAnswer: SendResult = { ok: false, code: 'refused', message: 'refused', timing: { totalMs: 1 } };
    for (const result of [noAnswer, answer(429), answer(500), answer(400), answer(401), answer(302)])
      assert.strictEqual(cohortRetryOf(result).outcome, 'retry', JSON.stringify(result));
    assert.strictEqual(cohortRetryOf(answer(200)).outcome, 'succeeded');
  });
});

describe('simulate retries failed requests on the schedule, over real HTTP against the mock', function () {
  const analysis = analyzeAs('list', readExample('list'));
  const values = { ...DEFAULT_TEST_VALUES, variables: { bearer_token: 't', workspace_id: 'ws-1', region: 'us' } };
  let mock: MockPartner | undefined;
  let sender: EndpointSender;
  beforeEach(() => {
    sender = new EndpointSender();
  });
  afterEach(async () => {
    await sender.close();
    await mock?.close();
  });
  const start = async (fixtures: MockFixtures) => {
    mock = await startMockPartner({ manifest: analysis.model, fixtures });
    return mock;
  };

  it('429 twice then 200: retried after 1 s then 2 s (scaled), and the users are in the list', async () => {
    const partner = await start({
      routes: { addUsers: { sequence: [{ status: 429 }, { status: 429 }, { status: 200 }] } },
    });
    const clock = fakeClock();
    const summary = await simulateSync(
      analysis,
      { values, add: 50, remove: 0, target: partner.url, clock, timeScale: 0.01 },
      sender,
    );
    assert.deepStrictEqual(clock.waits, [10, 20]);
    assert.deepStrictEqual(
      summary.retried.map((r) => [r.endpoint, r.retry, r.waitSeconds, r.reason]),
      [
        ['addUsers', 1, 1, 'rate limited (429)'],
        ['addUsers', 2, 2, 'rate limited (429)'],
      ],
    );
    assert.deepStrictEqual(
      summary.retried.map((r) => r.sentAtMs),
      [10, 30],
    );
    assert.strictEqual(summary.failed, 0);
    assert.strictEqual(summary.gaveUp, 0);
    assert.deepStrictEqual(summary.statusCounts, { 200: 2 });
    assert.strictEqual((partner.state() as ManifestMockState).requests.addUsers, 3);
    assert.strictEqual(summary.verification?.status, 'verified', summary.verification?.message);
  });

  it('500 forever: eight retries, then the request is reported failed', async () => {
    const partner = await start({ routes: { addUsers: { status: 500 } } });
    const clock = fakeClock();
    const summary = await simulateSync(analysis, { values, add: 10, remove: 0, target: partner.url, clock }, sender);
    assert.deepStrictEqual(
      summary.retried.map((r) => r.waitSeconds),
      [1, 2, 4, 8, 16, 32, 64, 128],
    );
    assert.strictEqual((partner.state() as ManifestMockState).requests.addUsers, 9);
    assert.strictEqual(summary.gaveUp, 1);
    assert.strictEqual(summary.failed, 1);
    assert.deepStrictEqual(summary.statusCounts, { 200: 1, 500: 1 });
    assert.strictEqual(summary.verification?.status, 'mismatch');
  });
});

describe('test on a cohort endpoint says what Amplitude would do next (the bundled CLI)', () => {
  it('a 429 to list creation: retry 1 of 8 in 1 s, and the waits left', async () => {
    const analysis = analyzeAs('list', readExample('list'));
    const mock = await startMockPartner({
      manifest: analysis.model,
      fixtures: { routes: { listCreation: { status: 429 } } },
    });
    const values = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'amp-retry-')), 'values.json');
    fs.writeFileSync(values, JSON.stringify({ workspace_id: 'ws-1', region: 'us' }));
    try {
      const args = ['test', EXAMPLE_FILES.list, '--endpoint', 'listCreation', '--values', values, '--target', mock.url];
      const run = await runCliProcess(args, { env: { AMPLITUDE_VALUE_BEARER_TOKEN: 'tok' } });
      assert.strictEqual(run.code, 1, run.stdout + run.stderr);
      assert.match(run.stdout, /Amplitude would retry this \(rate limited \(429\)\): retry 1 of 8 in 1 s;/);
      assert.match(run.stdout, /the retries left wait 1 s, 2 s, 4 s, 8 s, 16 s, 32 s, 64 s, 128 s \(4\.3 min in all\)/);
    } finally {
      await mock.close();
    }
  });
});
