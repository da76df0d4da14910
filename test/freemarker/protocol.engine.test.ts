import * as assert from 'assert';
import { spawn, type ChildProcessWithoutNullStreams } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as readline from 'readline';
import {
  FreemarkerWorker,
  PROTOCOL_VERSION,
  WORKER_JAR,
  type EngineLocation,
} from '../../server/src/freemarker/engine';
import { builtEngine } from '../helpers/engine';

/** The worker's own cap on a request line (its default, amplitude.maxRequestChars). */
const MAX_REQUEST_CHARS = 4 * 1024 * 1024;

interface WireAnswer {
  id: number | string | null;
  ok: boolean;
  output?: string;
  error?: { kind: string; message: string };
}

/** The built jar started as Node starts it, spoken to line by line: what any client of the protocol sees. */
class RawWorker {
  readonly hello: Promise<Record<string, unknown>>;
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: ((line: string) => void)[] = [];
  private readonly lines: string[] = [];

  constructor(location: EngineLocation) {
    const classpath = [path.join(location.workerDir, WORKER_JAR), location.jar].join(path.delimiter);
    this.child = spawn(location.java, ['-Xmx64m', '-cp', classpath, 'AmplitudeFreemarkerWorker']);
    readline.createInterface({ input: this.child.stdout }).on('line', (line) => {
      const waiter = this.waiting.shift();
      if (waiter) waiter(line);
      else this.lines.push(line);
    });
    this.hello = this.next().then((line) => JSON.parse(line) as Record<string, unknown>);
  }

  private next(): Promise<string> {
    const line = this.lines.shift();
    return line !== undefined ? Promise.resolve(line) : new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Sends one raw line and reads the one answer line it gets. */
  async ask(line: string): Promise<WireAnswer> {
    this.child.stdin.write(`${line}\n`);
    return JSON.parse(await this.next()) as WireAnswer;
  }

  alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  stop(): void {
    this.child.kill('SIGKILL');
  }
}

const render = (id: number, data: string) =>
  `{"id":${id},"op":"render","name":"body.ftl","template":"\${input.event_type}","data":${data}}`;

/** Lines that are not requests of the protocol, and what the worker must say about each. */
const MALFORMED: [what: string, line: string, says: RegExp][] = [
  ['not JSON at all', 'event_type=Purchase', /not valid JSON: .* at character 1/],
  ['trailing garbage', `${render(1, '{}')} x`, /unexpected text after the JSON value/],
  ['two objects on a line', `${render(1, '{}')}${render(2, '{}')}`, /unexpected text after the JSON value/],
  ['a cut line', render(1, '{"input":{"event_type":"Purch'), /string is not closed|ends too early/],
  ['a bad escape', render(1, '{"input":{"event_type":"a\\qb"}}'), /\\q is not a JSON escape/],
  ['a short \\u escape', render(1, '{"input":{"event_type":"\\u12"}}'), /four hexadecimal digits/],
  ['a raw control character', render(1, '{"input":{"event_type":"a\tb"}}'), /U\+0009.* must be escaped/],
  ['a leading zero', render(1, '{"input":{"n":012}}'), /expected ',' or '}'/],
  ['a bare dot', render(1, '{"input":{"n":1.}}'), /digit after its '\.'/],
  ['a plus sign', render(1, '{"input":{"n":+1}}'), /unexpected '\+'/],
  ['an empty exponent', render(1, '{"input":{"n":1e}}'), /digit in its exponent/],
  ['an exponent out of range', render(1, '{"input":{"n":1e99999999999}}'), /exponent is out of range/],
  ['NaN', render(1, '{"input":{"n":NaN}}'), /unexpected 'N'/],
  ['a trailing comma', render(1, '{"input":{"n":1,}}'), /expected a key in double quotes/],
  ['single quotes', "{'id':1}", /expected a key in double quotes/],
  ['too deep', render(1, `${'['.repeat(1001)}${']'.repeat(1001)}`), /nested deeper than 1000 levels/],
  ['an array, not an object', '[1,2]', /request is not a JSON object/],
  ['no id', '{"op":"render","template":"x"}', /has no id/],
  ['an unknown op', '{"id":7,"op":"compile","template":"x"}', /op "compile"; the worker knows \[render, /],
  ['no op', '{"id":7,"template":"x"}', /has op null/],
  ['an unknown field', '{"id":7,"op":"render","template":"x","temlpate":"y"}', /unknown field "temlpate"/],
  ['data that is not an object', render(7, '"Purchase"'), /data that is not a JSON object/],
  ['a trace that is not a boolean', '{"id":7,"op":"render","template":"x","trace":"yes"}', /trace that is not true/],
  ['renderMany of a non-list', '{"id":7,"op":"renderMany","template":"x","data":{}}', /not a list of objects/],
];

describe('FreeMarker worker protocol: strict requests, readable errors, a version handshake', function () {
  this.timeout(60_000);
  let raw: RawWorker;
  before(() => {
    raw = new RawWorker(builtEngine());
  });
  after(() => raw.stop());

  it('introduces itself first: its protocol version and FreeMarker version', async () => {
    const hello = await raw.hello;
    assert.deepStrictEqual(Object.keys(hello), ['ready', 'protocol', 'version']);
    assert.strictEqual(hello.protocol, PROTOCOL_VERSION);
    assert.match(String(hello.version), /^2\.3\.\d+$/);
  });

  for (const [what, line, says] of MALFORMED) {
    it(`answers ${what} with a readable error, then keeps serving`, async () => {
      await raw.hello;
      const answer = await raw.ask(line);
      assert.strictEqual(answer.ok, false, JSON.stringify(answer));
      assert.strictEqual(answer.error?.kind, 'request', JSON.stringify(answer));
      assert.match(answer.error.message, says);
      // A request that has an id gets its error under it; one whose id could not be read, under null.
      assert.strictEqual(answer.id, /"id":7/.test(line) ? 7 : null);
      const next = await raw.ask(render(2, '{"input":{"event_type":"Purchase"}}'));
      assert.deepStrictEqual([next.id, next.ok, next.output], [2, true, 'Purchase']);
    });
  }

  it('a line past its cap is dropped unread with an error; the worker goes on', async () => {
    await raw.hello;
    const huge = render(3, JSON.stringify({ input: { event_type: 'x'.repeat(MAX_REQUEST_CHARS) } }));
    const answer = await raw.ask(huge);
    assert.deepStrictEqual([answer.id, answer.ok, answer.error?.kind], [null, false, 'request']);
    assert.match(answer.error?.message ?? '', new RegExp(`passed ${MAX_REQUEST_CHARS} characters and was not read`));
    const next = await raw.ask(render(4, '{"input":{"event_type":"Identify"}}'));
    assert.deepStrictEqual([next.id, next.ok, next.output], [4, true, 'Identify']);
    assert.ok(raw.alive());
  });

  it('reads what JSON allows: escapes, a lone surrogate, numbers of every form', async () => {
    await raw.hello;
    const template = JSON.stringify('${input.s}|<#list input.n as n>${n?c} </#list>');
    const input = { s: 'q"\\/\b\f\n\r\t\u2028\ud800😀', n: [0, -0.5, 1e21, 12.5e-3, 501234567890123] };
    const answer = await raw.ask(`{"id":5,"op":"render","template":${template},"data":${JSON.stringify({ input })}}`);
    assert.ok(answer.ok, JSON.stringify(answer));
    assert.strictEqual(answer.output, `${input.s}|0 -0.5 1000000000000000000000 0.0125 501234567890123 `);
  });
});

describe('FreeMarker worker protocol, through FreemarkerWorker', function () {
  this.timeout(60_000);
  let worker: FreemarkerWorker;
  before(() => {
    worker = new FreemarkerWorker(builtEngine(), { maxRequestChars: 100_000 });
  });
  after(() => worker.dispose());

  it('a data model past the request cap fails at once with why; the worker goes on', async () => {
    const big = { input: { event_type: 'Purchase', event_properties: { notes: 'n'.repeat(200_000) } } };
    const result = await worker.render('body.ftl', '${input.event_type}', big);
    assert.ok(!result.ok && result.error.kind === 'engine', JSON.stringify(result).slice(0, 300));
    assert.match(result.error.message, /the worker reads at most 100000/);
    const next = await worker.render('body.ftl', '${input.event_type}', { input: { event_type: 'Purchase' } });
    assert.deepStrictEqual(next.ok && next.output, 'Purchase');
  });

  it('data nested past the worker\u2019s depth limit: the error reaches its render, the next renders', async () => {
    let deep: unknown = 'bottom';
    for (let level = 0; level < 1200; level++) deep = { level: deep };
    const [refused, next] = await Promise.all([
      worker.render('body.ftl', '${input.event_type}', { input: deep }),
      worker.render('other.ftl', '${input.event_type}!', { input: { event_type: 'Identify' } }),
    ]);
    assert.ok(!refused.ok, JSON.stringify(refused));
    assert.match(refused.error.message, /nested deeper than 1000 levels/);
    assert.deepStrictEqual(next.ok && next.output, 'Identify!');
  });
});

describe('FreeMarker worker: a worker of another protocol version is refused', () => {
  let folder: string;
  before(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'stale-worker-'));
    fs.writeFileSync(path.join(folder, WORKER_JAR), 'not a jar: never loaded');
  });
  after(() => fs.rmSync(folder, { recursive: true, force: true }));

  /** A "java" that prints the first line a worker of another build printed, counts its starts, and waits. */
  function staleWorker(hello: string): { location: EngineLocation; starts: () => number } {
    const count = path.join(folder, `starts-${Math.random().toString(36).slice(2)}`);
    const java = `${count}.sh`;
    fs.writeFileSync(java, `#!/bin/sh\necho start >> '${count}'\necho '${hello}'\nexec cat > /dev/null\n`, {
      mode: 0o755,
    });
    const location = { ...builtEngine(), java, workerDir: folder };
    const starts = () => (fs.existsSync(count) ? fs.readFileSync(count, 'utf8').split('\n').length - 1 : 0);
    return { location, starts };
  }

  // What the worker printed before the handshake (a jar from an older build), and one of a made-up other version.
  const STALE: [string, string, RegExp][] = [
    ['a jar from before the handshake', '{"ready":true,"version":"2.3.31"}', /states no protocol version/],
    [
      'a jar of another protocol',
      `{"ready":true,"protocol":${PROTOCOL_VERSION + 1},"version":"2.3.31"}`,
      /speaks protocol/,
    ],
    ['a program that is not the worker', 'Usage: java [options]', /did not introduce itself/],
  ];
  for (const [what, hello, says] of STALE) {
    it(`${what}: every render fails with what to do, and it is not started again`, async () => {
      const stale = staleWorker(hello);
      const worker = new FreemarkerWorker(stale.location);
      try {
        const first = await worker.render('body.ftl', '${input.event_type}', { input: { event_type: 'Purchase' } });
        assert.ok(!first.ok && first.error.kind === 'engine', JSON.stringify(first));
        assert.match(first.error.message, says);
        assert.match(first.error.message, new RegExp(`speaks protocol ${PROTOCOL_VERSION}|stale`));
        assert.match(first.error.message, /npm run build:worker|stale build/);
        const second = await worker.render('body.ftl', 'x', {});
        assert.ok(!second.ok && second.error.message === first.error.message, JSON.stringify(second));
        assert.strictEqual(stale.starts(), 1);
      } finally {
        worker.dispose();
      }
    });
  }
});
