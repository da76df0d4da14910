import * as assert from 'assert';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { once } from 'events';
import { DidChangeWatchedFilesNotification, FileChangeType } from 'vscode-languageserver-protocol/node';
import {
  LocateRequest,
  ReplayRequest,
  RunTestRequest,
  SimulateProgressNotification,
  SimulateRequest,
  VariablesRequest,
} from '../../server/src/protocol';
import { DEAD_TARGET_TRIES } from '../../server/src/testing/streaming/deadTarget';
import { MAX_CSV_ROWS } from '../../server/src/testing/cohort/usersCsv';
import { DEFAULT_SEND_OPTIONS } from '../../server/src/testing/send';
import { MAX_TIMEOUT_MS } from '../../server/src/base/timeouts';
import { settingsFrom } from '../../server/src/lsp/workspace';
import { exampleWorkspace, runCliProcess } from '../helpers/cli';
import { partners, type Partner } from '../helpers/corpus';
import { fileUri, LspTestClient } from '../helpers/lspClient';
import { EXAMPLE_FILES, readExample } from '../helpers/manifests';

/** Peak resident memory of a process, in MB (Linux: VmHWM). */
function peakMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]);
  return kb / 1024;
}

/** A users CSV in the portal's format of about `megabytes` MB, written a block at a time. */
async function bigUsersCsv(megabytes: number): Promise<string> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'amp-csv-')), 'users.csv');
  const out = fs.createWriteStream(file);
  out.write('operation,user_id_field_amplitude,amp_cohort_name,amp_cohort_id\n');
  const rows = (from: number) =>
    Array.from({ length: 10_000 }, (_, i) => `add,user-${String(from + i).padStart(9, '0')},Churned,coh_1\n`).join('');
  let written = 0;
  for (let from = 0; written < megabytes * 1024 * 1024; from += 10_000) {
    const block = rows(from);
    written += block.length;
    if (!out.write(block)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return file;
}

/** Orders the answers of requests sent together: which came first. */
function order(tasks: Record<string, Promise<unknown>>): Promise<string[]> {
  const done: string[] = [];
  return Promise.all(
    Object.entries(tasks).map(([name, task]) =>
      task.then(
        () => done.push(name),
        () => done.push(name),
      ),
    ),
  ).then(() => done);
}

describe('hostile input: work whose size comes from input is bounded', function () {
  this.timeout(180_000);
  const list = fileUri(EXAMPLE_FILES.list);
  let client: LspTestClient;
  let csv: string;

  before(async () => {
    csv = await bigUsersCsv(250);
    client = new LspTestClient();
    await client.initialize();
    await client.open(list, readExample('list'));
  });
  after(async () => {
    await client.stop();
    fs.rmSync(path.dirname(csv), { recursive: true, force: true });
  });

  it('Simulate with a 250 MB users CSV: streamed, the server answers meanwhile, stops at the row limit', async () => {
    const simulate = client.request(SimulateRequest, {
      uri: list,
      values: {},
      users: { csvFile: csv },
      send: DEFAULT_SEND_OPTIONS,
      progressToken: 'csv',
    });
    const variables = client.request(VariablesRequest, { uri: list });
    const answered = await order({ simulate, variables });
    assert.deepStrictEqual(answered, ['variables', 'simulate'], 'the server answered while it read the CSV');
    const answer = await simulate;
    assert.match(answer.problem ?? '', new RegExp(`more than ${MAX_CSV_ROWS} rows \\(the limit\\)`));
    assert.match(answer.problem ?? '', new RegExp(`after ${MAX_CSV_ROWS} rows`));
    assert.strictEqual(client.exited, undefined, 'the server is alive');
    const peak = peakMb(client.process.pid as number);
    assert.ok(peak < 600, `the server's memory peaked at ${peak.toFixed(0)} MB for a 250 MB file`);
  });

  it('simulate --users-csv with the same file: a usage error naming the limit, not a dead process', async () => {
    const result = await runCliProcess(['simulate', EXAMPLE_FILES.list, '--users-csv', csv, '--dry-run'], {
      timeoutMs: 120_000,
    });
    assert.ok(!result.timedOut);
    assert.strictEqual(result.code, 2, result.stderr);
    assert.match(result.stderr, new RegExp(`more than ${MAX_CSV_ROWS} rows \\(the limit\\): reading stopped after`));
  });

  it('amplitude/locate with a 100,000-segment path is refused at once; other requests are answered', async () => {
    const locate = client.request(LocateRequest, { uri: list, path: Array.from({ length: 100_000 }, () => 'a') });
    const variables = client.request(VariablesRequest, { uri: list });
    await assert.rejects(locate, /100000 segments; .*longer than 1000 segments is not looked up/);
    assert.ok(await variables);
  });

  it('amplitude/locate with a long path that leaves the manifest: the deepest value on the way', async () => {
    const deepest = await client.request(LocateRequest, { uri: list, path: ['connection'] });
    const path = ['connection', 'displayName', ...Array.from({ length: 998 }, (_, i) => i)];
    const display = await client.request(LocateRequest, { uri: list, path: ['connection', 'displayName'] });
    assert.ok(deepest && display);
    assert.deepStrictEqual(await client.request(LocateRequest, { uri: list, path }), display);
    assert.notDeepStrictEqual(display, deepest);
  });
});

/** A partner that answers 200 only once `release` is called: a slow answer, not one in 1 ms. */
function heldServer(): Promise<{ url: string; seen: Promise<void>; release: () => void; close: () => void }> {
  let release = () => undefined as void;
  let seen = () => undefined as void;
  const seenPromise = new Promise<void>((resolve) => (seen = resolve));
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      release = () => response.writeHead(200, { 'content-type': 'application/json' }).end('{"listId":"l1"}');
      seen();
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({
        url: `http://127.0.0.1:${port}`,
        seen: seenPromise,
        release: () => release(),
        close: () => {
          server.closeAllConnections();
          server.close();
        },
      });
    }),
  );
}

describe('hostile input: timeouts past what a timer holds are clamped, not fired at once', function () {
  this.timeout(60_000);
  const env = { AMPLITUDE_VALUE_BEARER_TOKEN: 'tok', AMPLITUDE_VALUE_WORKSPACE_ID: 'w', AMPLITUDE_VALUE_REGION: 'us' };

  it('test --timeout 1e10 warns, clamps, and waits for the answer', async () => {
    const server = await heldServer();
    const manifest = exampleWorkspace(EXAMPLE_FILES.list);
    try {
      const args = ['test', manifest, '--endpoint', 'listCreation', '--target', server.url, '--timeout', '1e10'];
      const running = runCliProcess(args, { env, timeoutMs: 30_000 });
      // The request reached the partner and is still waiting there: the timeout did not fire.
      await server.seen;
      server.release();
      const result = await running;
      assert.match(result.stderr, new RegExp(`warning: --timeout 10000000000 ms .*using ${MAX_TIMEOUT_MS} ms`));
      assert.doesNotMatch(result.stdout, /within \d+ ms/);
      assert.match(result.stdout, /200/);
    } finally {
      server.close();
    }
  });

  it('amplitude.freemarker.renderTimeoutMs 1e10: clamped to the maximum, and the clamp logged', () => {
    const warnings: string[] = [];
    const settings = settingsFrom({ freemarker: { renderTimeoutMs: 1e10 } }, (m) => warnings.push(m));
    assert.strictEqual(settings.renderTimeoutMs, MAX_TIMEOUT_MS);
    assert.match(warnings.join('\n'), /amplitude\.freemarker\.renderTimeoutMs: 10000000000 ms .*using 3600000 ms/);
    assert.strictEqual(settingsFrom({ freemarker: { renderTimeoutMs: 2000 } }).renderTimeoutMs, 2000);
  });

  it('amplitude.test.totalTimeoutMs 1e10 over LSP: clamped, the test waits for the answer', async () => {
    const server = await heldServer();
    const client = new LspTestClient();
    try {
      await client.initialize();
      const uri = fileUri(EXAMPLE_FILES.list);
      await client.open(uri, readExample('list'));
      const huge = 1e10;
      const send = { ...DEFAULT_SEND_OPTIONS, totalTimeoutMs: huge, headersTimeoutMs: huge, target: server.url };
      const values = { bearer_token: 'tok', workspace_id: 'w', region: 'us' };
      const running = client.request(RunTestRequest, { uri, name: 'listCreation', values, send });
      await server.seen;
      server.release();
      const answer = await running;
      const sent = answer.result?.result;
      assert.ok(sent?.ok, `the request was answered, not stopped: ${JSON.stringify(sent)}`);
      assert.strictEqual(sent.status, 200);
    } finally {
      await client.stop();
      server.close();
    }
  });
});

/** A target that accepts every connection and destroys it at once (a server that resets all connections). */
function resettingServer(): Promise<{ url: string; connections: () => number; close: () => void }> {
  let connections = 0;
  const server = net.createServer((socket) => {
    connections++;
    socket.on('error', () => undefined);
    socket.destroy();
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}`, connections: () => connections, close: () => server.close() });
    }),
  );
}

describe('hostile input: a replay against a target that resets every connection gives up', function () {
  this.timeout(120_000);
  let partner: Partner;
  before(() => {
    const found = partners().find((p) => p.name === 'iterable-identify');
    assert.ok(found);
    partner = found;
  });

  it('simulate --events 1000: progress on stderr, then the clear message, exit 1', async () => {
    const server = await resettingServer();
    try {
      const values = path.join(partner.folder, 'values.json');
      const args = ['simulate', partner.manifestFile, '--events', '1000', '--values', values, '--target', server.url];
      const run = await runCliProcess(args, { timeoutMs: 100_000 });
      assert.ok(!run.timedOut, 'the replay never ended');
      assert.strictEqual(run.code, 1, run.stdout + run.stderr);
      assert.match(run.stdout, new RegExp(`Gave up: ${DEAD_TARGET_TRIES} requests in a row got no answer`));
      assert.match(run.stdout, /none has been answered since the replay began/);
      assert.match(run.stderr, /replay: \d+\/1000 events/);
      assert.ok(server.connections() < 1000, `${server.connections()} connections: it stopped early`);
    } finally {
      server.close();
    }
  });

  it('Replay Events over LSP: the answer says why it stopped, the progress token advanced', async () => {
    const server = await resettingServer();
    const client = new LspTestClient();
    try {
      await client.initialize();
      await client.open(fileUri(partner.manifestFile), partner.text);
      const progress: number[] = [];
      client.connection.onNotification(SimulateProgressNotification.method, (p: { token: string; done: number }) => {
        if (p.token === 'dead') progress.push(p.done);
      });
      const answer = await client.request(ReplayRequest, {
        uri: fileUri(partner.manifestFile),
        values: partner.values.variables,
        count: 1000,
        send: { ...DEFAULT_SEND_OPTIONS, target: server.url },
        progressToken: 'dead',
      });
      assert.match(answer.problem ?? '', /Gave up: .* got no answer from the target/);
      assert.ok(answer.report?.gaveUp);
      assert.ok(progress.length > 0 && progress[progress.length - 1] > 0, `progress: ${progress.join(',')}`);
      assert.ok((answer.report?.events ?? 1000) < 1000, 'it stopped before every event waited its retries');
    } finally {
      await client.stop();
      server.close();
    }
  });
});

describe('hostile input: a burst of watched-file events on a big workspace does not stall the server', function () {
  this.timeout(120_000);

  it('50 events on 20,000 files: one more pass, not a walk each; requests answered while it runs', async () => {
    const manifest = exampleWorkspace(EXAMPLE_FILES.list);
    const root = path.dirname(path.dirname(manifest));
    for (let d = 0; d < 200; d++) {
      const dir = path.join(root, 'assets', `d${d}`);
      fs.mkdirSync(dir, { recursive: true });
      for (let f = 0; f < 100; f++) fs.writeFileSync(path.join(dir, `f${f}.txt`), '');
    }
    fs.mkdirSync(path.join(root, 'manifests'));
    const names = Array.from({ length: 300 }, (_, i) => `m${String(i).padStart(3, '0')}.amplitude.json`);
    for (const name of names) fs.writeFileSync(path.join(root, 'manifests', name), '{ "kind": "cohort-list" }');
    const last = fileUri(path.join(root, 'manifests', names[names.length - 1]));
    const client = new LspTestClient(root);
    try {
      const firstPass = client.diagnosticsFor(last);
      await client.initialize();
      await firstPass;
      const open = fileUri(path.join(root, 'open.amplitude.json'));
      await client.open(open, readExample('list'));
      let republished = 0;
      const stopCounting = client.onDiagnostics((p) => {
        if (p.uri === fileUri(manifest)) republished++;
      });
      const passDone = client.diagnosticsFor(last);
      const logo = fileUri(path.join(path.dirname(manifest), 'logo.png'));
      for (let i = 0; i < 50; i++)
        void client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
          changes: [{ uri: logo, type: FileChangeType.Changed }],
        });
      const variables = client.request(VariablesRequest, { uri: open });
      const answered = await order({ variables, passDone });
      stopCounting();
      assert.deepStrictEqual(answered, ['variables', 'passDone'], 'the request waited for the whole pass');
      assert.ok(await variables);
      assert.ok(republished >= 1 && republished <= 2, `the workspace was checked ${republished} times for 50 events`);
      assert.strictEqual(client.exited, undefined);
    } finally {
      await client.stop();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('a manifest created on disk is checked from the event, a deleted one loses its problems', async () => {
    const manifest = exampleWorkspace(EXAMPLE_FILES.list);
    const root = path.dirname(path.dirname(manifest));
    const client = new LspTestClient(root);
    try {
      const first = client.diagnosticsFor(fileUri(manifest));
      await client.initialize();
      await first;
      const created = path.join(path.dirname(manifest), 'second.amplitude.json');
      fs.writeFileSync(created, '{ "kind": "cohort-list" ');
      const published = client.diagnosticsFor(fileUri(created));
      void client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
        changes: [{ uri: fileUri(created), type: FileChangeType.Created }],
      });
      assert.ok((await published).length > 0, 'the new manifest has problems');
      fs.rmSync(created);
      const cleared = client.diagnosticsFor(fileUri(created));
      void client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
        changes: [{ uri: fileUri(created), type: FileChangeType.Deleted }],
      });
      assert.deepStrictEqual(await cleared, []);
    } finally {
      await client.stop();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
