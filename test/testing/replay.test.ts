import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cliRenderer } from '../../server/src/cli/engine';
import { FreemarkerWorker, type EngineLocation } from '../../server/src/freemarker/engine';
import { readBodyTemplateFile } from '../../server/src/freemarker/renderBody';
import { startMockPartner, type MockPartner } from '../../server/src/mock/mockPartner';
import type { MockFixtures } from '../../server/src/mock/manifestHandler';
import { ATTEMPT_OFFSETS_SECONDS, ATTEMPTS } from '../../server/src/testing/streaming/delivery';
import { replayEvents } from '../../server/src/testing/streaming/replay';
import {
  eventAt as eventAtSource,
  rendersInProcess,
  type ReplayRenders,
} from '../../server/src/testing/streaming/replayRenders';
import { RenderThread } from '../../server/src/testing/streaming/renderThread';
import { EndpointSender } from '../../server/src/testing/send';
import { readMockState } from '../../server/src/testing/verify';
import { verifyReplay } from '../../server/src/testing/streaming/verifyReplay';
import { partners, type Partner } from '../helpers/corpus';
import { runCliProcess } from '../helpers/cli';
import { replayWorkersOf } from '../helpers/processes';
import { builtEngine } from '../helpers/engine';
import { REPO } from '../helpers/lspClient';
import { waitFor } from '../vscode/poll';

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

  async function replay(
    fixtures: MockFixtures,
    count: number,
    renders = onThread(count),
    options: { concurrency?: number; timeScale?: number } = {},
  ) {
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
        ...options,
      });
      const verification = await verifyReplay(mock.url, sender, before, report);
      return { report, verification, state: mock.state() as { events: { received: number; accepted: number } } };
    } finally {
      await mock.close();
    }
  }

  it('429, 429, 200: retried twice within the first attempt (~100 ms, ~200 ms, jittered) and delivered', async () => {
    const fixtures: MockFixtures = {
      routes: {
        events: { sequence: [{ status: 429, headers: { 'Retry-After': '60' } }, { status: 429 }, { status: 200 }] },
      },
    };
    const { report, state, verification } = await replay(fixtures, 5, onThread(5), { concurrency: 1 });
    assert.equal(report.dropped, 0);
    assert.equal(report.delivered, 5);
    assert.equal(report.retried, 1);
    assert.equal(report.retriedDelivered, 1);
    assert.deepEqual(
      report.retries.map((r) => [r.index, r.attempt, r.try, r.next, r.reason]),
      [
        [0, 1, 1, 'try', 'rate limited (429)'],
        [0, 1, 2, 'try', 'rate limited (429)'],
      ],
    );
    // Retry-After: 60 is not waited for (no Amplitude page says it is): the jittered waits of the model are.
    const [second, third] = report.retries.map((r) => r.waitedMs);
    assert.ok(second >= 50 && second < 150, `${second}`);
    assert.ok(third >= 100 && third < 300, `${third}`);
    assert.equal(report.requests, 7);
    assert.equal(state.events.received, 7);
    assert.equal(state.events.accepted, 5);
    assert.equal(verification.status, 'verified', verification.differences.join('; '));
  });

  it('429 on all three tries of the first attempt: the second attempt, on the schedule, delivers it', async () => {
    const limited = { status: 429 };
    const fixtures: MockFixtures = { routes: { events: { sequence: [limited, limited, limited, { status: 200 }] } } };
    const { report } = await replay(fixtures, 1, onThread(1), { concurrency: 1 });
    assert.equal(report.delivered, 1);
    assert.deepEqual(
      report.retries.map((r) => [r.attempt, r.try, r.next, r.atSeconds]),
      [
        [1, 1, 'try', undefined],
        [1, 2, 'try', undefined],
        [1, 3, 'attempt', ATTEMPT_OFFSETS_SECONDS[1]],
      ],
    );
    assert.equal(report.requests, 4);
  });

  it('400: retried anyway, by attempts on the (scaled) schedule, ten in all, then dropped with the reason', async () => {
    const timeScale = 0.0001; // 4 hours become 1.44 s
    const fixtures: MockFixtures = { routes: { events: { status: 400, body: { error: 'bad' } } } };
    const { report, state } = await replay(fixtures, 2, onThread(2), { concurrency: 2, timeScale });
    assert.equal(report.dropped, 2);
    assert.equal(report.retried, 2);
    assert.equal(report.requests, 2 * ATTEMPTS);
    assert.equal(state.events.received, 2 * ATTEMPTS);
    assert.deepEqual(Object.keys(report.droppedByReason), ['client error (400) on all 10 attempts over 4 hours']);
    const first = report.retries.filter((r) => r.index === 0);
    assert.deepEqual(
      first.map((r) => [r.attempt, r.try, r.next, r.atSeconds]),
      ATTEMPT_OFFSETS_SECONDS.slice(1).map((at, i) => [i + 1, 1, 'attempt', at]),
    );
    for (const r of first) assert.ok(r.waitedMs <= (r.atSeconds ?? 0) * 1000 * timeScale, `${r.waitedMs} ms`);
    // The tenth attempt cannot start before 4 hours × the scale after the first.
    assert.ok(report.durationMs >= 4 * 3600 * 1000 * timeScale, `${report.durationMs} ms`);
    assert.match(report.problems[0].message, /drop this event: client error \(400\) on all 10 attempts .*\+4 h/);
    assert.ok(report.problems[0].body?.includes('eventName'), 'the body is shown');
  });

  it('400 then 200: the event is delivered by the second attempt', async () => {
    const fixtures: MockFixtures = { routes: { events: { sequence: [{ status: 400 }, { status: 200 }] } } };
    const { report, verification } = await replay(fixtures, 3, onThread(3), { concurrency: 1 });
    assert.equal(report.delivered, 3);
    assert.equal(report.dropped, 0);
    assert.deepEqual(
      report.retries.map((r) => [r.index, r.attempt, r.next, r.atSeconds]),
      [[0, 1, 'attempt', ATTEMPT_OFFSETS_SECONDS[1]]],
    );
    assert.equal(report.requests, 4);
    assert.equal(verification.status, 'verified', verification.differences.join('; '));
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

describe('simulate --events against a partner answering 400 (the bundled CLI)', function () {
  this.timeout(120_000);

  it('prints each attempt Amplitude would make, with its time on the schedule, then the drop', async () => {
    const partner = partners().find((p) => p.name === 'iterable-identify');
    assert.ok(partner);
    const mock = await startMockPartner({
      manifest: { value: partner.analysis.doc.value, model: partner.analysis.model },
      fixtures: { routes: { events: { status: 400, body: { error: 'bad' } } } },
    });
    try {
      const values = path.join(partner.folder, 'values.json');
      const run = await runCliProcess(
        ['simulate', partner.manifestFile, '--events', '1', '--values', values, '--target', mock.url].concat([
          '--time-scale',
          '0.0001',
          '--rate-limit',
          '1000000',
        ]),
        { timeoutMs: 60_000 },
      );
      assert.equal(run.code, 1, run.stdout + run.stderr);
      assert.match(run.stdout, /10 requests \(400 x10\)/);
      assert.match(run.stdout, /event 1 attempt 1 try 1: client error \(400\); attempt 2 at \+28 s on the schedule/);
      assert.match(run.stdout, /event 1 attempt 9 try 1: client error \(400\); attempt 10 at \+4 h on the schedule/);
      assert.match(run.stdout, /dropped x1: client error \(400\) on all 10 attempts over 4 hours/);
      assert.match(run.stdout, /attempts waited 0\.0001 of Amplitude's schedule/);
    } finally {
      await mock.close();
    }
  });
});

describe('test on a streaming manifest: what Amplitude would do next, with the times (the bundled CLI)', function () {
  this.timeout(120_000);

  async function testAgainst(fixtures: MockFixtures, endpoint: 'events' | 'identify') {
    const partner = partners().find((p) => p.name === 'iterable-identify');
    assert.ok(partner);
    const mock = await startMockPartner({
      manifest: { value: partner.analysis.doc.value, model: partner.analysis.model },
      fixtures,
    });
    try {
      const values = path.join(partner.folder, 'values.json');
      const args = ['test', partner.manifestFile, '--endpoint', endpoint, '--values', values, '--target', mock.url];
      return await runCliProcess(args, { timeoutMs: 60_000 });
    } finally {
      await mock.close();
    }
  }

  it('an event answered 429: the tries within this attempt, then attempts 2-10, each with its time', async () => {
    const run = await testAgainst({ routes: { events: { status: 429, headers: { 'Retry-After': '30' } } } }, 'events');
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /Amplitude would retry this \(rate limited \(429\)\): 2 more tries now/);
    assert.match(run.stdout, /try 2 in ~100 ms \(50-150 ms\), try 3 after that answer, in ~200 ms \(100-300 ms\)/);
    assert.match(run.stdout, /attempts 2-10 at \+28 s, \+85 s, .*\+2 h, \+4 h after the first/);
    assert.match(run.stdout, /Retry-After: 30 in the answer: no Amplitude document says it waits for it/);
  });

  it('an identify answered 400: retried anyway, by attempts, the next at +28 s', async () => {
    const run = await testAgainst({ routes: { identify: { status: 400, body: { error: 'bad' } } } }, 'identify');
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(
      run.stdout,
      /Amplitude would retry this anyway \(client error \(400\)\): then the next attempt at \+28 s/,
    );
    assert.match(run.stdout, /on 5xx and 429 only/);
    assert.match(run.stdout, /After attempt 10 fails, Amplitude drops the event/);
  });
});

const eventAt = (index: number) => eventAtSource({ kind: 'generated' }, index);
