import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cliRenderer } from '../../server/src/cli/engine';
import { FreemarkerWorker, type EngineLocation } from '../../server/src/freemarker/engine';
import { readBodyTemplateFile } from '../../server/src/freemarker/renderBody';
import { startMockPartner, type MockPartner } from '../../server/src/mock/mockPartner';
import type { MockFixtures } from '../../server/src/mock/manifestHandler';
import { deliveryOf, MAX_TRIES, RETRY_SCHEDULE_SECONDS } from '../../server/src/testing/delivery';
import { replayEvents } from '../../server/src/testing/replay';
import { eventAt as eventAtSource, rendersInProcess, type ReplayRenders } from '../../server/src/testing/replayRenders';
import { RenderThread } from '../../server/src/testing/renderThread';
import { EndpointSender, type SendResult } from '../../server/src/testing/send';
import { readMockState, verifyReplay } from '../../server/src/testing/verify';
import { partners, type Partner } from '../helpers/corpus';
import { runCliProcess } from '../helpers/cli';
import { replayWorkersOf } from '../helpers/processes';
import { builtEngine } from '../helpers/engine';
import { REPO } from '../helpers/lspClient';
import { waitFor } from '../vscode/poll';

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
  let engine: EngineLocation;
  let sender: EndpointSender;
  let thread: RenderThread;

  before(() => {
    const found = partners().find((p) => p.name === 'iterable-identify');
    assert.ok(found);
    partner = found;
    engine = builtEngine();
    sender = new EndpointSender({ ...new EndpointSender().options, connections: 16 });
    const started = RenderThread.start({ engine, worker: { longRun: true } });
    assert.ok(started, 'the render thread script is beside the compiled sources');
    thread = started;
  });
  after(async () => {
    await thread.dispose();
    await sender.close();
  });

  /** The replay's renders as the CLI makes them: on a render thread, with the partner's template as it is. */
  function onThread(count: number, template?: string, signal?: AbortSignal, on = thread): ReplayRenders {
    const value = partner.analysis.doc.value;
    const body = readBodyTemplateFile(value, { baseDir: partner.folder, rootDir: REPO });
    const plan = {
      manifest: value,
      values: partner.values.variables,
      body: template === undefined ? body : { ...body, template },
      label: 'track.ftl',
      source: { kind: 'generated' } as const,
      count,
      ahead: 32,
    };
    return on.renders(plan, signal);
  }

  async function replay(fixtures: MockFixtures, count: number, renders = onThread(count)) {
    const value = partner.analysis.doc.value;
    const mock: MockPartner = await startMockPartner({ manifest: { value, model: partner.analysis.model }, fixtures });
    try {
      const before = await readMockState(mock.url, sender);
      const report = await replayEvents({
        manifest: value,
        values: partner.values.variables,
        renders,
        sender,
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
    assert.equal(JSON.parse(report.problems[0].event).$insert_id, 'replay-0', 'the event is shown');
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

  it('a template that fails for some events: each failure with its event, the others delivered', async () => {
    // Sample events without a user id (device-only ones) fail; the rest render.
    const { report } = await replay({}, 40, onThread(40, '{"user": "${input.user_id}"}'));
    const failing = new Set(Array.from({ length: 40 }, (_, i) => i).filter((i) => eventAt(i).user_id === undefined));
    assert.ok(failing.size > 0 && failing.size < 40, 'the samples include events without a user id');
    assert.equal(report.renderFailures, failing.size);
    assert.equal(report.delivered, 40 - failing.size);
    const first = report.problems[0];
    assert.equal(first.kind, 'render');
    assert.ok(failing.has(first.index));
    assert.match(first.message, /^track\.ftl:1:\d+: .*user_id/s);
    assert.equal(JSON.parse(first.event).$insert_id, `replay-${first.index}`);
  });

  it('bodies of a megabyte each, past the byte budget for bodies rendered ahead: every one delivered, no stall', async () => {
    const big = '{"user": "${input.user_id!"-"}", "pad": "${""?left_pad(1000000, "x")}"}';
    const { report, verification } = await replay({}, 60, onThread(60, big));
    assert.equal(report.renderFailures, 0, JSON.stringify(report.problems[0]));
    assert.equal(report.delivered, 60);
    assert.equal(verification.status, 'verified', verification.differences.join('; '));
  });

  it('rendered in this thread through a body renderer, the same events give the same counts', async () => {
    const worker = new FreemarkerWorker(builtEngine());
    try {
      const value = partner.analysis.doc.value;
      const render = cliRenderer(worker, value, { baseDir: partner.folder, rootDir: REPO });
      const renders = rendersInProcess({
        manifest: value,
        values: partner.values.variables,
        render,
        source: { kind: 'generated' },
        count: 500,
        ahead: 32,
      });
      const { report, verification } = await replay({}, 500, renders);
      assert.equal(report.delivered, 500);
      assert.equal(verification.status, 'verified', verification.differences.join('; '));
    } finally {
      worker.dispose();
    }
  });

  it('stopped halfway: the replay ends, the thread serves the next one, and ends with its JVM', async () => {
    const own = RenderThread.start({ engine, worker: { longRun: true } });
    assert.ok(own);
    const controller = new AbortController();
    let running = 0;
    const mock = await startMockPartner({
      manifest: { value: partner.analysis.doc.value, model: partner.analysis.model },
      fixtures: {},
    });
    try {
      const report = await replayEvents({
        manifest: partner.analysis.doc.value,
        values: partner.values.variables,
        renders: onThread(1_000_000, undefined, controller.signal, own),
        sender,
        count: 1_000_000,
        target: mock.url,
        signal: controller.signal,
        onProgress: (done) => {
          if (done !== 200) return;
          running = replayWorkersOf(process.pid).length;
          controller.abort();
        },
      });
      assert.ok(report.events >= 200 && report.events < 1_000_000, `${report.events} events`);
      assert.ok(running >= 1, 'the render thread ran its own JVM');
      const next = await replayEvents({
        manifest: partner.analysis.doc.value,
        values: partner.values.variables,
        renders: onThread(300, undefined, undefined, own),
        sender,
        count: 300,
        target: mock.url,
      });
      assert.equal(next.delivered, 300, 'the next replay on the same thread gets its own events, all of them');
      assert.deepEqual(next.problems, []);
    } finally {
      await mock.close();
      await own.dispose();
    }
    const before = running;
    const left = () => (replayWorkersOf(process.pid).length < before ? true : undefined);
    await waitFor('the render thread to end its JVM', left, 10_000);
  });
});

describe('simulate --events (the bundled CLI, its render thread and the manifest-derived mock)', function () {
  this.timeout(120_000);

  it("replays a file's events in turn: each render failure named with its event, the others delivered", async () => {
    const partner = partners().find((p) => p.name === 'iterable-identify');
    assert.ok(partner);
    const mock = await startMockPartner({
      manifest: { value: partner.analysis.doc.value, model: partner.analysis.model },
      fixtures: {},
    });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-events-'));
    const base = eventAt(0);
    const events = [
      { ...base, $insert_id: 'first' },
      { ...base, $insert_id: 'no-time', event_time: undefined },
      { ...base, $insert_id: 'third', user_id: 'ada' },
    ];
    const file = path.join(dir, 'events.ndjson');
    fs.writeFileSync(file, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
    try {
      const run = await runCliProcess(
        [
          'simulate',
          partner.manifestFile,
          '--events',
          '30',
          '--events-file',
          file,
          '--values',
          path.join(partner.folder, 'values.json'),
          '--rate-limit',
          '1000000',
          '--target',
          mock.url,
        ],
        { timeoutMs: 60_000 },
      );
      assert.equal(run.code, 1, run.stdout + run.stderr);
      assert.match(run.stdout, /30 events replayed/);
      assert.match(run.stdout, /delivered 20 .*render failures 10/);
      assert.match(run.stdout, /event 2 render: \S*track\.ftl:\d+:\d+: [^]*?==> input\.event_time/);
      assert.match(run.stdout, /"\$insert_id":"no-time"/);
      assert.match(run.stdout, /The mock recorded the same 20 requests, 20 of them accepted/);
      const state = mock.state() as { events: { received: number } };
      assert.equal(state.events.received, 20);
    } finally {
      await mock.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

const eventAt = (index: number) => eventAtSource({ kind: 'generated' }, index);
