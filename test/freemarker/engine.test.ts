import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DEBIAN_JAR, FreemarkerWorker, locateEngine, type EngineLocation } from '../../server/src/freemarker/engine';
import { dataModelFor } from '../../server/src/freemarker/dataModel';
import { SAMPLE_EVENTS } from '../../server/src/freemarker/sampleEvents';
import { REPO } from '../helpers/lspClient';
import { waitFor } from '../vscode/poll';
import { analyzeAs, readExample } from '../helpers/manifests';

const WORKER_DIR = path.join(REPO, 'dist', 'freemarker');
const BUNDLED_JAR = path.join(WORKER_DIR, 'freemarker-2.3.28.jar');
const DOCUMENTED = fs.readFileSync(path.join(REPO, 'examples', 'event-streaming', 'body.ftl'), 'utf8');

function engine(jar?: string): EngineLocation {
  const location = locateEngine({ workerDir: WORKER_DIR, jar });
  if ('problem' in location) throw new Error(location.problem);
  return location;
}

describe('FreeMarker worker (the real engine, in one JVM)', () => {
  let worker: FreemarkerWorker;
  before(async () => {
    assert.ok(fs.existsSync(DEBIAN_JAR), 'libfreemarker-java is installed (.ci/run installs it)');
    worker = new FreemarkerWorker(engine(), { timeoutMs: 2000 });
    assert.strictEqual(await worker.start(), '2.3.31');
  });
  after(() => worker.dispose());

  it("renders Amplitude's documented template (a ?filter lambda) to valid JSON for every sample event", async () => {
    const { streaming } = analyzeAs('streaming', readExample('streaming')).model;
    for (const sample of SAMPLE_EVENTS) {
      const result = await worker.render('body.ftl', DOCUMENTED, dataModelFor(streaming, sample.event));
      assert.ok(result.ok, `${sample.name}: ${result.ok ? '' : result.error.message}`);
      const body = JSON.parse(result.output) as { events: { name: string }[] };
      assert.strictEqual(body.events[0].name, sample.event.event_type);
    }
  });

  it('accepts #sep, #continue, ??, !, lambdas and square-bracket syntax', async () => {
    const templates = [
      '<#list [1,2,3] as x>${x}<#sep>,</#sep></#list>',
      '<#list [1,2,3] as x><#if x == 2><#continue></#if>${x}</#list>',
      '<#if input.city??>${input.city}</#if>${input.missing!"none"}',
      '${[1,2,3]?filter(n -> n > 1)?map(n -> n * 2)?join(",")}',
      '[#ftl][#list [1,2] as x][=x][/#list]',
    ];
    for (const template of templates) {
      const result = await worker.render('t.ftl', template, dataModelFor(undefined, SAMPLE_EVENTS[0].event));
      assert.ok(result.ok, `${template}: ${result.ok ? '' : result.error.message}`);
    }
  });

  it("reports a broken template with the engine's line and column", async () => {
    const result = await worker.parse('broken.ftl', '{\n  "a": "${input.user_id}",\n  <#if input.city??>\n}');
    assert.ok(!result.ok);
    assert.strictEqual(result.error.kind, 'syntax');
    assert.match(result.error.message, /unclosed #if/);
    assert.strictEqual(result.error.line, 4);
  });

  it('refuses ?new and ?api: no Java classes from templates', async () => {
    const created = await worker.render(
      't.ftl',
      '<#assign ex = "freemarker.template.utility.Execute"?new()>${ex("id")}',
      {},
    );
    assert.ok(
      !created.ok && /not allowed/.test(created.error.message),
      created.ok ? created.output : created.error.message,
    );
    const api = await worker.render('t.ftl', '${input?api.getClass()}', { input: {} });
    assert.ok(!api.ok);
  });

  it('stops an endless #list, says so, and keeps working', async () => {
    const endless = await worker.render('loop.ftl', '<#list 1.. as i><#if i < 0>${i}</#if></#list>', {});
    assert.ok(!endless.ok && endless.error.kind === 'timeout', endless.ok ? 'rendered' : endless.error.message);
    const flood = await worker.render('flood.ftl', '<#list 1.. as i>${i}</#list>', {});
    assert.ok(!flood.ok && /output passed/.test(flood.error.message), flood.ok ? 'rendered' : flood.error.message);
    const after = await worker.render('t.ftl', '${1 + 1}', {});
    assert.deepStrictEqual(after.ok && after.output, '2');
  });

  it('restarts transparently when the JVM dies', async () => {
    const pid = worker.pid();
    assert.ok(pid);
    process.kill(pid, 'SIGKILL');
    // The worker sees its JVM gone, then a render starts a new one, as a user's next edit would.
    await waitFor('the worker to notice that its JVM ended', () => (worker.pid() === pid ? undefined : true), 5000, 10);
    const result = await worker.render('t.ftl', 'ok', {});
    assert.ok(result.ok);
    assert.notStrictEqual(worker.pid(), pid);
  });

  it('with only 2.3.28, says the lambda needs 2.3.29 instead of a bogus syntax error', async () => {
    const old = new FreemarkerWorker(engine(BUNDLED_JAR));
    try {
      assert.strictEqual(await old.start(), '2.3.28');
      const result = await old.render('body.ftl', DOCUMENTED, dataModelFor(undefined, SAMPLE_EVENTS[0].event));
      assert.ok(!result.ok);
      assert.match(
        result.error.message,
        /\?filter needs FreeMarker 2\.3\.29 or newer, and the engine in use is 2\.3\.28/,
      );
    } finally {
      old.dispose();
    }
  });

  it('renders numbers and dates the same on a machine set to another locale and time zone', async () => {
    // A German machine in Tokyo, as the JVM sees it: it would print 1.234,5 and JST.
    const before = process.env.JAVA_TOOL_OPTIONS;
    process.env.JAVA_TOOL_OPTIONS = '-Duser.language=de -Duser.country=DE -Duser.timezone=Asia/Tokyo';
    const abroad = new FreemarkerWorker(engine(), { timeoutMs: 5000 });
    try {
      await abroad.start();
    } finally {
      if (before === undefined) delete process.env.JAVA_TOOL_OPTIONS;
      else process.env.JAVA_TOOL_OPTIONS = before;
    }
    try {
      const template =
        '${1234.5} ${.now?string("zzz")} ${"2026-11-20 14:03:27"?datetime("yyyy-MM-dd HH:mm:ss")?long?c}';
      const result = await abroad.render('body.ftl', template, {});
      assert.ok(result.ok, result.ok ? '' : result.error.message);
      assert.strictEqual(result.output, `1,234.5 UTC ${Date.UTC(2026, 10, 20, 14, 3, 27)}`);
      const own = await abroad.render('body.ftl', '<#setting locale="de_DE">${1234.5}', {});
      assert.strictEqual(own.ok && own.output, '1.234,5', 'a template that sets its own locale keeps it');
    } finally {
      abroad.dispose();
    }
  });
  it('render CLI: a template path with spaces and $(..) renders safely', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amp fm $(touch pwned) '));
    const template = path.join(dir, 'my body $(touch pwned2).ftl');
    fs.writeFileSync(template, '{"user": "${input.user_id}"}');
    const result = spawnSync(process.execPath, [path.join(REPO, 'dist', 'cli.js'), 'render', template], {
      encoding: 'utf8',
      cwd: dir,
    });
    assert.strictEqual(result.status, 0, result.stderr);
    assert.deepStrictEqual(JSON.parse(result.stdout), { user: 'user-000042' });
    assert.ok(
      !fs.existsSync(path.join(dir, 'pwned')) && !fs.existsSync(path.join(dir, 'pwned2')) && !fs.existsSync('pwned'),
    );
  });

  it("render CLI: exit 1 with the engine's message on failure", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amp-fm-'));
    const template = path.join(dir, 'bad.ftl');
    fs.writeFileSync(template, '{"x": ${input.nope.deeper}}');
    const result = spawnSync(process.execPath, [path.join(REPO, 'dist', 'cli.js'), 'render', template], {
      encoding: 'utf8',
    });
    assert.strictEqual(result.status, 1);
    assert.match(result.stderr, /bad\.ftl:1:9: The following has evaluated to null or missing:[\s\S]*input\.nope/);
  });
});
