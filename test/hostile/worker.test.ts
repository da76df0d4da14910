import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { FreemarkerWorker, locateEngine } from '../../server/src/freemarker/engine';
import { REPO } from '../helpers/lspClient';

const WORKER_DIR = path.join(REPO, 'dist', 'freemarker');

function rssMb(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

function worker(options: { timeoutMs?: number; maxHeapMb?: number } = {}): FreemarkerWorker {
  const location = locateEngine({ workerDir: WORKER_DIR });
  if ('problem' in location) throw new Error(location.problem);
  return new FreemarkerWorker(location, options);
}

/** A template that doubles a string until memory runs out. */
const MEMORY_BOMB = '<#assign s = "xxxxxxxxxxxxxxxx"><#list 1..40 as i><#assign s = s + s></#list>${s?length}';

describe('hostile input: the FreeMarker worker stays bounded', function () {
  this.timeout(60_000);

  it('a memory bomb fails with a message, the JVM stays under its heap cap, and the worker goes on', async () => {
    const w = worker({ maxHeapMb: 64, timeoutMs: 20_000 });
    try {
      await w.start();
      let peak = 0;
      const sampler = setInterval(() => (peak = Math.max(peak, rssMb(w.pid()))), 20);
      const result = await w.render('bomb.ftl', MEMORY_BOMB, {});
      clearInterval(sampler);
      assert.ok(!result.ok, 'the bomb rendered');
      assert.match(result.error.message, /memory|output passed/);
      // Heap 64 MB plus the JVM's own (code, metaspace, threads): far from the gigabytes an uncapped JVM takes.
      assert.ok(peak < 300, `worker RSS peaked at ${peak.toFixed(0)} MB`);
      const after = await w.render('ok.ftl', '${1 + 2}', {});
      assert.ok(after.ok && after.output === '3');
    } finally {
      w.dispose();
    }
  });

  it('a render that times out fails alone: a request queued behind it still renders', async () => {
    const w = worker({ timeoutMs: 1500 });
    try {
      await w.start();
      const endless = w.render('loop.ftl', '<#list 1.. as i><#if i < 0>${i}</#if></#list>', {});
      const valid = w.render('ok.ftl', '${"fine"}', {});
      const [first, second] = await Promise.all([endless, valid]);
      assert.ok(!first.ok && first.error.kind === 'timeout', first.ok ? 'rendered' : first.error.message);
      assert.ok(second.ok && second.output === 'fine', second.ok ? second.output : second.error.message);
    } finally {
      w.dispose();
    }
  });

  it('a request that cannot be written (a 50,000-deep event) fails at once and arms no timer', async () => {
    const w = worker({ timeoutMs: 1000 });
    try {
      await w.start();
      const pid = w.pid();
      let deep: Record<string, unknown> = {};
      for (let i = 0; i < 50_000; i++) deep = { nested: deep };
      const failed = await w.render('t.ftl', '${input?size}', { input: deep });
      assert.ok(
        !failed.ok && /nested too deeply/.test(failed.error.message),
        failed.ok ? 'rendered' : failed.error.message,
      );
      // Past the timeout the healthy worker is the same process, still answering.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const after = await w.render('ok.ftl', '${2 * 2}', {});
      assert.ok(after.ok && after.output === '4');
      assert.strictEqual(w.pid(), pid, 'the healthy worker was killed');
    } finally {
      w.dispose();
    }
  });

  it('huge output is cut at the cap quickly, not read for half a minute', async () => {
    const w = worker({ timeoutMs: 30_000 });
    try {
      await w.start();
      const started = Date.now();
      const result = await w.render('big.ftl', '<#list 1..20000000 as i>xxxxx</#list>', {});
      assert.ok(
        !result.ok && /output passed/.test(result.error.message),
        result.ok ? `${result.output.length}` : result.error.message,
      );
      assert.ok(Date.now() - started < 10_000, `${Date.now() - started} ms`);
    } finally {
      w.dispose();
    }
  });
});
