import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { cliRenderer } from '../../server/src/cli/engine';
import { FreemarkerWorker, locateEngine } from '../../server/src/freemarker/engine';
import { startMockPartner, type MockPartner } from '../../server/src/mock/mockPartner';
import type { MockFixtures } from '../../server/src/mock/manifestHandler';
import { deliveryOf, MAX_TRIES, RETRY_SCHEDULE_SECONDS } from '../../server/src/testing/delivery';
import { generatedEvents, replayEvents } from '../../server/src/testing/replay';
import { EndpointSender, type SendResult } from '../../server/src/testing/send';
import { readMockState, verifyReplay } from '../../server/src/testing/verify';
import { partners, type Partner } from '../helpers/corpus';
import { REPO } from '../helpers/lspClient';

const answer = (status: number, headers: Record<string, string> = {}): SendResult => ({
  ok: true,
  status,
  statusText: '',
  headers,
  body: '',
  bytes: 0,
  truncated: false,
  timing: { waitingMs: 1, downloadMs: 0, totalMs: 1 },
});

describe("Amplitude's delivery semantics", () => {
  it('9 tries over 4 hours, each wait twice the one before', () => {
    assert.equal(RETRY_SCHEDULE_SECONDS.length, MAX_TRIES - 1);
    assert.equal(
      RETRY_SCHEDULE_SECONDS.reduce((a, b) => a + b, 0),
      4 * 3600,
    );
    for (let i = 1; i < RETRY_SCHEDULE_SECONDS.length; i++)
      assert.ok(Math.abs(RETRY_SCHEDULE_SECONDS[i] - 2 * RETRY_SCHEDULE_SECONDS[i - 1]) <= 1);
  });

  it('delivers 2xx, retries 429, 5xx and no answer, drops other 4xx and redirects at once', () => {
    assert.equal(deliveryOf(answer(204)).outcome, 'delivered');
    const limited = deliveryOf(answer(429));
    assert.equal(limited.outcome, 'retry');
    assert.equal(limited.nextInSeconds, RETRY_SCHEDULE_SECONDS[0]);
    assert.match(limited.text, /retry this \(rate limited \(429\)\): next attempt in ~56 s, 8 more tries/);
    assert.equal(deliveryOf(answer(503), 3).nextInSeconds, RETRY_SCHEDULE_SECONDS[2]);
    assert.equal(deliveryOf(answer(400)).outcome, 'dropped');
    assert.equal(deliveryOf(answer(302)).outcome, 'dropped');
    assert.equal(deliveryOf(answer(503), MAX_TRIES).outcome, 'dropped');
    const failure: SendResult = {
      ok: false,
      code: 'refused',
      message: 'refused',
      timing: { totalMs: 1 },
    };
    assert.equal(deliveryOf(failure).outcome, 'retry');
  });

  it('waits as long as Retry-After asks when that is longer than the schedule', () => {
    assert.equal(deliveryOf(answer(429, { 'retry-after': '600' })).nextInSeconds, 600);
    assert.equal(deliveryOf(answer(429, { 'retry-after': '1' })).nextInSeconds, RETRY_SCHEDULE_SECONDS[0]);
  });
});

describe('stream replay against the mock playing a real partner API', function () {
  this.timeout(180_000);
  let partner: Partner;
  let worker: FreemarkerWorker;
  let sender: EndpointSender;

  before(() => {
    const found = partners().find((p) => p.name === 'iterable-identify');
    assert.ok(found);
    partner = found;
    const location = locateEngine({ workerDir: path.join(REPO, 'dist', 'freemarker') });
    if ('problem' in location) throw new Error(location.problem);
    worker = new FreemarkerWorker(location);
    sender = new EndpointSender({ ...new EndpointSender().options, connections: 16 });
  });
  after(async () => {
    worker.dispose();
    await sender.close();
  });

  async function replay(fixtures: MockFixtures, count: number) {
    const { value, model } = partner.analysis.doc.value
      ? { value: partner.analysis.doc.value, model: partner.analysis.model }
      : { value: {}, model: partner.analysis.model };
    const mock: MockPartner = await startMockPartner({ manifest: { value, model }, fixtures });
    try {
      const before = await readMockState(mock.url, sender);
      const report = await replayEvents({
        manifest: value,
        values: partner.values.variables,
        render: cliRenderer(worker, value, { baseDir: partner.folder, rootDir: REPO }),
        sender,
        events: generatedEvents(),
        count,
        rateLimitPerMinute: 10_000_000,
        target: mock.url,
      });
      const verification = await verifyReplay(mock.url, sender, before, report);
      return { report, verification, state: mock.state() as { events: { received: number; accepted: number } } };
    } finally {
      await mock.close();
    }
  }

  it('429 then 200: the event is retried on the schedule (scaled) and delivered, nothing dropped', async () => {
    const fixtures: MockFixtures = {
      routes: { events: { sequence: [{ status: 429, headers: { 'Retry-After': '1' } }, { status: 200 }] } },
    };
    const { report, state } = await replay(fixtures, 20);
    assert.equal(report.dropped, 0);
    assert.equal(report.retried, 1);
    assert.equal(report.retriedDelivered, 1);
    assert.deepEqual(
      report.retries.map((r) => [r.attempt, r.waitSeconds, r.reason]),
      [[1, RETRY_SCHEDULE_SECONDS[0], 'rate limited (429)']],
    );
    assert.equal(report.requests, 21);
    assert.equal(state.events.received, 21);
    assert.equal(state.events.accepted, 20);
  });

  it('400: every event dropped at once, without a retry, with the reason', async () => {
    const { report } = await replay({ routes: { events: { status: 400, body: { error: 'bad' } } } }, 15);
    assert.equal(report.dropped, 15);
    assert.equal(report.retried, 0);
    assert.equal(report.requests, 15);
    assert.deepEqual(Object.keys(report.droppedByReason), ['400: an error a retry would not fix']);
    assert.match(report.problems[0].message, /drop this event without retrying/);
    assert.ok(report.problems[0].body?.includes('eventName'), 'the body is shown');
  });

  it('10,000 events: the counts the replay reports are what the mock recorded', async () => {
    const { report, verification, state } = await replay({}, 10_000);
    assert.equal(report.events, 10_000);
    assert.equal(report.delivered + report.dropped + report.renderFailures, 10_000);
    assert.equal(verification.status, 'verified', verification.differences.join('; '));
    assert.equal(state.events.received, report.requests);
    assert.equal(state.events.accepted, report.delivered);
    assert.ok(report.latencyMs.p95 > 0 && report.eventsPerSecond > 0);
  });
});
