import * as assert from 'assert';
import * as path from 'path';
import { FreemarkerWorker, locateEngine, type RenderResult } from '../../server/src/freemarker/engine';
import { REPO } from '../helpers/lspClient';

const WORKER_DIR = path.join(REPO, 'dist', 'freemarker');

function newWorker(options: ConstructorParameters<typeof FreemarkerWorker>[1]): FreemarkerWorker {
  const location = locateEngine({ workerDir: WORKER_DIR });
  if ('problem' in location) throw new Error(location.problem);
  return new FreemarkerWorker(location, options);
}

const outputOf = (result: RenderResult) => (result.ok ? result.output : `error: ${result.error.message}`);

/** Renders asked for in one go: the worker writes them ahead, and sends those of one template as batches. */
function renderAll(worker: FreemarkerWorker, template: string, inputs: Record<string, unknown>[]) {
  return Promise.all(inputs.map((input) => worker.render('t.ftl', template, { input })));
}

describe('FreeMarker worker: many renders of one template (a replay)', () => {
  const workers: FreemarkerWorker[] = [];
  const worker = (options: ConstructorParameters<typeof FreemarkerWorker>[1] = {}) => {
    const created = newWorker(options);
    workers.push(created);
    return created;
  };
  after(() => workers.forEach((w) => w.dispose()));

  it('gives each render its own output, in order, and a failing one fails alone', async () => {
    const inputs = Array.from({ length: 200 }, (_, i) => (i === 77 ? { n: 'not a number' } : { n: i }));
    const results = await renderAll(worker(), '${input.n * 2}', inputs);
    results.forEach((result, i) => {
      if (i === 77) assert.ok(!result.ok && /number/i.test(result.error.message), outputOf(result));
      else assert.strictEqual(outputOf(result), String(i * 2));
    });
  });

  it('a render that never ends times out alone: the others of its batch still render', async () => {
    const template = '<#if input.loop><#list 1.. as i><#if i < 0>${i}</#if></#list></#if>${input.n}';
    const inputs = Array.from({ length: 40 }, (_, i) => ({ n: i, loop: i === 20 }));
    const results = await renderAll(worker({ timeoutMs: 1500 }), template, inputs);
    results.forEach((result, i) => {
      if (i === 20) assert.ok(!result.ok && result.error.kind === 'timeout', outputOf(result));
      else assert.strictEqual(outputOf(result), String(i));
    });
  });

  it('renders past the output cap together are each rendered, none blamed for the others', async () => {
    const capped = worker({ maxOutputChars: 1000 });
    const inputs = Array.from({ length: 30 }, (_, i) => ({ n: i }));
    const results = await renderAll(capped, '<#list 1..300 as x>${input.n % 10}</#list>', inputs);
    results.forEach((result, i) => assert.strictEqual(outputOf(result), String(i % 10).repeat(300)));
    const huge = await capped.render('t.ftl', '<#list 1..2000 as x>x</#list>', {});
    assert.ok(!huge.ok && /output passed 1000/.test(huge.error.message), outputOf(huge));
  });

  it('a template sent once is named by its key; one the JVM let go of is sent again', async () => {
    const shared = worker();
    const first = await shared.render('a.ftl', 'first ${input.n}', { input: { n: 1 } });
    assert.strictEqual(outputOf(first), 'first 1');
    // More templates than the JVM keeps (16): the first is evicted there, while Node still holds its key.
    for (let k = 0; k < 20; k++) {
      const other = await shared.render(`t${k}.ftl`, `other ${k}`, {});
      assert.strictEqual(outputOf(other), `other ${k}`);
    }
    const again = await shared.render('a.ftl', 'first ${input.n}', { input: { n: 2 } });
    assert.strictEqual(outputOf(again), 'first 2');
  });

  it('a JVM killed mid-batch: its renders go to a new JVM and all answer', async () => {
    const fragile = worker();
    await fragile.start();
    const pid = fragile.pid();
    assert.ok(pid);
    const pending = renderAll(
      fragile,
      '<#list 1..20000 as x><#if x < 0>${x}</#if></#list>${input.n}',
      Array.from({ length: 50 }, (_, i) => ({ n: i })),
    );
    process.kill(pid, 'SIGKILL');
    const results = await pending;
    const rendered = results.filter((r, i) => outputOf(r) === String(i)).length;
    // The render running when the JVM died fails with the reason; every other one is rendered.
    assert.ok(rendered >= 49, results.map(outputOf).join(' | '));
    assert.notStrictEqual(fragile.pid(), pid);
  });
});
