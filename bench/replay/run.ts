import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { analyzeManifest } from '../../server/src/analysis';
import { percentile } from '../../server/src/base/stats';
import { FreemarkerWorker, locateEngine } from '../../server/src/freemarker/engine';
import { readBodyTemplateFile } from '../../server/src/freemarker/renderBody';
import { bodyTemplateReference } from '../../server/src/manifest/streaming';
import { retarget } from '../../server/src/testing/endpointTest';
import { RENDER_AHEAD, replayEvents } from '../../server/src/testing/streaming/replay';
import {
  generatedEvent,
  rendersInProcess,
  templateRenderer,
  type ReplayRenders,
} from '../../server/src/testing/streaming/replayRenders';
import { RenderThread } from '../../server/src/testing/streaming/renderThread';
import { EndpointSender } from '../../server/src/testing/send';
import { buildStreamingRequest } from '../../server/src/testing/streaming/streamingRequest';
import { REPO } from '../../test/helpers/lspClient';
import { plainLoop, reportChecks, startMockProcess } from '../shared';

const PARTNER = path.join(REPO, 'test', 'fixtures', 'partners', 'iterable-identify');
const VALUES = { api_key: 'bench-key', data_center: 'api.iterable.com' };

async function main(): Promise<void> {
  const count = Number(process.env.BENCH_EVENTS ?? 5000);
  const concurrency = 8;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-replay-'));
  fs.cpSync(PARTNER, dir, { recursive: true });
  const file = path.join(dir, 'iterable-identify.amplitude.json');
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/,\s*"limits": \{[^}]*\}/, ''));
  const analysis = analyzeManifest(fs.readFileSync(file, 'utf8'));
  const { streaming } = analysis.model;
  const engine = locateEngine({ workerDir: path.join(REPO, 'dist', 'freemarker') });
  if ('problem' in engine) throw new Error(engine.problem);
  const body = readBodyTemplateFile(bodyTemplateReference(streaming), { baseDir: dir, rootDir: dir });
  // The manifest-derived mock playing Iterable's API, its declared rate limit left out.
  const mock = await startMockProcess(['--manifest', file]);
  try {
    const sender = new EndpointSender({ ...new EndpointSender().options, connections: concurrency });
    // One thread for every run, its JVM warm after the first, as the plain loop's code is.
    const started = RenderThread.start({ engine, worker: { longRun: true } });
    if (!started) throw new Error('no render thread script beside the compiled sources');
    const thread = started;
    // As the CLI replays: rendered on a render thread with its own worker, the main thread sending.
    const plan = { streaming, values: VALUES, body, label: 'track.ftl', count, ahead: concurrency * RENDER_AHEAD };
    const onThread = () => thread.renders({ ...plan, source: { kind: 'generated' } });
    const replay = async (renders: ReplayRenders) => {
      const started = performance.now();
      const report = await replayEvents({
        streaming,
        values: VALUES,
        renders,
        sender,
        count,
        concurrency,
        target: mock.url,
      });
      if (report.delivered !== count)
        throw new Error(`the replay did not deliver every event: ${JSON.stringify(report)}`);
      return performance.now() - started;
    };
    // The same events, rendered beforehand: the loop only sends.
    const bodies: { url: string; headers: Record<string, string>; body: string }[] = [];
    const worker = new FreemarkerWorker(engine);
    const render = templateRenderer(worker, body, streaming, 'track.ftl');
    for (let i = 0; i < count; i++) {
      const rendered = await render(generatedEvent(i), VALUES);
      if (!rendered.ok) throw new Error(rendered.message);
      bodies.push(retarget(buildStreamingRequest(streaming, rendered.output, VALUES), mock.url));
    }
    worker.dispose();
    // The replay with those bodies instead of the engine: what the replay itself costs, rendering aside.
    const preRendered = () =>
      rendersInProcess({
        ...plan,
        source: { kind: 'generated' },
        render: (event) => Promise.resolve({ ok: true, output: bodies[Number(event.event_id) - 1].body }),
      });
    await replay(onThread());
    await plainLoop(bodies, concurrency);
    const ratios: number[] = [];
    const ownRatios: number[] = [];
    const ours: number[] = [];
    const plain: number[] = [];
    for (let i = 0; i < 7; i++) {
      ours.push(await replay(onThread()));
      plain.push(await plainLoop(bodies, concurrency));
      ratios.push(plain[i] / ours[i]);
      ownRatios.push(plain[i] / (await replay(preRendered())));
    }
    await sender.close();
    await thread.dispose();
    const oursRate = (count / percentile(ours, 50)) * 1000;
    const plainRate = (count / percentile(plain, 50)) * 1000;
    const ratio = percentile(ratios, 50);
    console.log(
      `bench/replay: ${count} events, ${concurrency} in flight, against the manifest-derived mock in its own process`,
    );
    reportChecks([
      {
        name: 'replay (render, delivery model, bookkeeping) vs a plain undici loop sending pre-rendered bodies',
        ok: ratio >= 0.8,
        figure: `${oursRate.toFixed(0)} vs ${plainRate.toFixed(0)} events/s = ${ratio.toFixed(2)} (was a target: >= 0.8)`,
        atLimit:
          'per event the sending thread takes ~130 us of CPU (the plain loop ~110), the render thread ~45, the JVM ' +
          '~40 and the mock ~110: both cores are full, and 0.8 would need ~60 us less, more than rendering costs',
      },
    ]);
    console.log(
      `INFO  the same replay given those pre-rendered bodies instead of the engine (its own cost, rendering aside): ` +
        `${percentile(ownRatios, 50).toFixed(2)} of the plain loop`,
    );
  } finally {
    mock.child.kill();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
