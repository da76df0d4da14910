import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { analyzeManifest } from '../../server/src/analysis';
import { percentile } from '../../server/src/base/stats';
import { cliRenderer } from '../../server/src/cli/engine';
import { FreemarkerWorker, locateEngine } from '../../server/src/freemarker/engine';
import { retarget } from '../../server/src/testing/endpointTest';
import { generatedEvents, replayEvents } from '../../server/src/testing/replay';
import { EndpointSender } from '../../server/src/testing/send';
import { buildStreamingRequest } from '../../server/src/testing/streaming';
import { REPO } from '../../test/helpers/lspClient';
import { plainLoop, startMockProcess } from '../shared';

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
  const manifest = analysis.doc.value;
  const location = locateEngine({ workerDir: path.join(REPO, 'dist', 'freemarker') });
  if ('problem' in location) throw new Error(location.problem);
  const worker = new FreemarkerWorker(location, { longRun: true });
  const render = cliRenderer(worker, manifest, { baseDir: dir, rootDir: dir });
  // The manifest-derived mock playing Iterable's API, its declared rate limit left out.
  const mock = await startMockProcess(['--manifest', file]);
  try {
    const sender = new EndpointSender({ ...new EndpointSender().options, connections: concurrency });
    const replay = async () => {
      const started = performance.now();
      const report = await replayEvents({
        manifest,
        values: VALUES,
        render,
        sender,
        events: generatedEvents(),
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
    const events = generatedEvents();
    for (let i = 0; i < count; i++) {
      const rendered = await render(events.next().value as Record<string, unknown>, VALUES, 'events');
      if (!rendered.ok) throw new Error(rendered.message);
      bodies.push(retarget(buildStreamingRequest(manifest, rendered.output, VALUES), mock.url));
    }
    await replay();
    await plainLoop(bodies, concurrency);
    const ours: number[] = [];
    const plain: number[] = [];
    for (let i = 0; i < 5; i++) {
      ours.push(await replay());
      plain.push(await plainLoop(bodies, concurrency));
    }
    await sender.close();
    const oursRate = (count / percentile(ours, 50)) * 1000;
    const plainRate = (count / percentile(plain, 50)) * 1000;
    const ratio = oursRate / plainRate;
    console.log(
      `bench/replay: ${count} events, ${concurrency} in flight, against the manifest-derived mock in its own process`,
    );
    const ok = ratio >= 0.8;
    console.log(
      `${ok ? 'PASS' : 'FAIL'}  replay (render, delivery model, bookkeeping) vs a plain undici loop sending the same ` +
        `pre-rendered bodies: ${oursRate.toFixed(0)} vs ${plainRate.toFixed(0)} events/s = ${ratio.toFixed(2)} (target >= 0.8)`,
    );
    if (!ok) process.exitCode = 1;
  } finally {
    worker.dispose();
    mock.child.kill();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
