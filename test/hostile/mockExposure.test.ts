import * as assert from 'assert';
import * as http from 'http';
import * as net from 'net';
import * as v8 from 'v8';
import * as vm from 'vm';
import { startMockPartner, type MockLimits, type MockPartner } from '../../server/src/mock/mockPartner';
import type { ManifestMockState } from '../../server/src/mock/manifestHandler';
import type { HeuristicState } from '../../server/src/mock/heuristicHandler';
import { analyzeAs, readExample } from '../helpers/manifests';
import { SHARD_SIZE, ShardedMap, ShardedSet } from '../../server/src/mock/members';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** One request over a real connection, with the headers given (a forged Host included). */
function send(
  base: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${path}`, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const json = { 'Content-Type': 'application/json' };
const portOf = (mock: MockPartner) => new URL(mock.url).port;

function manifestMock(limits?: MockLimits): Promise<MockPartner> {
  const analysis = analyzeAs('list', readExample('list'));
  return startMockPartner({ manifest: analysis.model, limits });
}

describe('hostile input: a web page cannot read or drive the mock (DNS rebinding, cross-origin)', () => {
  const TOKEN = 'Bearer SECRET-rebinding-7f3a';
  let mock: MockPartner;
  before(async () => {
    mock = await manifestMock();
    await send(mock.url, '/v1/anything', { method: 'POST', headers: { ...json, Authorization: TOKEN }, body: '{}' });
  });
  after(() => mock.close());

  it('a forged Host (a rebound name, a wrong port) gets 403 with a reason and no data', async () => {
    const port = portOf(mock);
    for (const host of [
      'evil.example',
      `evil.example:${port}`,
      `127.0.0.1.evil.example:${port}`,
      `localhost.evil.example`,
      `127.0.0.1:${Number(port) === 1 ? 2 : 1}`,
      `[::2]:${port}`,
      `[::1]x`,
    ]) {
      const answer = await send(mock.url, '/__mock/requests', { headers: { Host: host } });
      assert.strictEqual(answer.status, 403, `${host}: ${answer.text}`);
      assert.ok(!answer.text.includes('SECRET'), `${host}: the log leaked`);
      assert.match((JSON.parse(answer.text) as { error: string }).error, /127\.0\.0\.1|port/);
    }
    // The partner routes are refused too: a rebound page cannot use the mock as the partner's API.
    const routed = await send(mock.url, '/v1/anything', { method: 'POST', headers: { ...json, Host: 'evil.example' } });
    assert.strictEqual(routed.status, 403);
  });

  it('an empty Host, or two of them, is refused (a raw connection, as no client library sends them)', async () => {
    const host = new URL(mock.url).host;
    for (const head of ['Host: ', `Host: evil.example\r\nHost: ${host}`, `Host: ${host}\r\nHost: evil.example`]) {
      const text = await rawExchange(mock, `GET /__mock/requests HTTP/1.1\r\n${head}\r\n\r\n`, () => false);
      assert.match(text, /^HTTP\/1\.1 403 /, head);
      assert.ok(!text.includes('SECRET'));
    }
  });

  it('loopback Host values, with or without the port, are answered (and the log holds what was sent)', async () => {
    const port = portOf(mock);
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST`, `[::1]:${port}`, '[::1]', '127.0.0.1']) {
      const answer = await send(mock.url, '/__mock/requests', { headers: { Host: host } });
      assert.strictEqual(answer.status, 200, `${host}: ${answer.text}`);
      assert.ok(answer.text.includes('SECRET'), 'the log is readable from loopback');
    }
  });

  it('an Origin other than the mock own gets 403 on the admin routes; its own origin is answered', async () => {
    for (const origin of ['http://evil.example', 'null', `http://localhost.evil.example:${portOf(mock)}`]) {
      const read = await send(mock.url, '/__mock/requests', { headers: { Origin: origin } });
      assert.strictEqual(read.status, 403, `${origin}: ${read.text}`);
      assert.ok(!read.text.includes('SECRET'));
      const state = await send(mock.url, '/__mock/state', { headers: { Origin: origin } });
      assert.strictEqual(state.status, 403);
      const set = await send(mock.url, '/__mock/behaviour', {
        method: 'POST',
        headers: { ...json, Origin: origin },
        body: '{"kind": "status:500"}',
      });
      assert.strictEqual(set.status, 403);
    }
    const crossSite = await send(mock.url, '/__mock/requests', { headers: { 'Sec-Fetch-Site': 'cross-site' } });
    assert.strictEqual(crossSite.status, 403, 'a no-cors read a browser marks cross-site');
    const own = await send(mock.url, '/__mock/requests', { headers: { Origin: new URL(mock.url).origin } });
    assert.strictEqual(own.status, 200);
    assert.strictEqual(own.headers['cross-origin-resource-policy'], 'same-origin');
    assert.strictEqual((await send(mock.url, '/v1/other', { method: 'POST', headers: json, body: '{}' })).status, 404);
  });

  it('a text/plain (or untyped) POST cannot change the behaviour or reset the state', async () => {
    const types: Record<string, string>[] = [
      { 'Content-Type': 'text/plain' },
      {},
      { 'Content-Type': 'application/x-www-form-urlencoded' },
    ];
    for (const headers of types) {
      const set = await send(mock.url, '/__mock/behaviour', {
        method: 'POST',
        headers,
        body: '{"kind": "status:500"}',
      });
      assert.strictEqual(set.status, 403, set.text);
      assert.match(set.text, /application\/json/);
      const reset = await send(mock.url, '/__mock/reset', { method: 'POST', headers, body: '{}' });
      assert.strictEqual(reset.status, 403);
    }
    const state = JSON.parse((await send(mock.url, '/__mock/state')).text) as ManifestMockState;
    assert.ok(state.log.entries > 0, 'the state was not reset');
    assert.strictEqual((await send(mock.url, '/v1/other', { method: 'POST', headers: json, body: '{}' })).status, 404);
    const typed = await send(mock.url, '/__mock/behaviour', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
      body: '{"kind": "ok"}',
    });
    assert.strictEqual(typed.status, 200, 'application/json with a charset is JSON');
  });

  it('listens on loopback only: another address is refused with a clear message', async () => {
    await assert.rejects(startMockPartner({ host: '0.0.0.0' }), /loopback only[\s\S]*"0\.0\.0\.0"/);
    const v6 = await startMockPartner({ host: '::1' }).catch(() => undefined);
    if (v6) {
      // Where the machine has IPv6 loopback, the URL it gives is one a client can use.
      assert.match(v6.url, /^http:\/\/\[::1\]:\d+$/);
      assert.strictEqual((await send(v6.url, '/__mock/state')).status, 200);
      await v6.close();
    }
  });
});

/** The heap in use after a full collection (gc exposed for this process only). */
function heapAfterGc(): number {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
  return process.memoryUsage().heapUsed;
}

describe('hostile input: what the mock keeps is bounded', function () {
  this.timeout(120_000);

  it('many large posts: the log cuts each body and stays in its byte budget, and the heap does not keep them', async () => {
    const mock = await manifestMock();
    try {
      const body = JSON.stringify({ blob: 'x'.repeat(8 * 1024 * 1024) });
      const before = heapAfterGc();
      for (let i = 0; i < 24; i++) {
        const answer = await send(mock.url, `/v1/bulk/${i}`, { method: 'POST', headers: json, body });
        assert.strictEqual(answer.status, 404, answer.text);
      }
      const grown = heapAfterGc() - before;
      const { log } = JSON.parse((await send(mock.url, '/__mock/state')).text) as ManifestMockState;
      assert.ok(log.bytes <= log.maxBytes, `${log.bytes} > ${log.maxBytes}`);
      assert.strictEqual(log.cut, 24);
      assert.ok(log.entries + log.dropped === 24);
      const entries = JSON.parse((await send(mock.url, '/__mock/requests')).text) as {
        body: unknown;
        bodyCut?: { keptChars: number; bodyBytes: number };
      }[];
      for (const entry of entries) {
        assert.deepStrictEqual(entry.bodyCut, { keptChars: log.bodyLimitChars, bodyBytes: body.length });
        assert.ok(typeof entry.body === 'string' && entry.body.length === log.bodyLimitChars);
      }
      assert.ok(grown < 64 * 1024 * 1024, `the heap kept ${Math.round(grown / 2 ** 20)} MB of 192 MB posted`);
    } finally {
      await mock.close();
    }
  });

  it('a small log budget forgets the oldest requests and says how many', async () => {
    const mock = await manifestMock({ log: { maxBytes: 64 * 1024, bodyLimitChars: 1024 } });
    try {
      for (let i = 0; i < 100; i++) {
        await send(mock.url, `/v1/x/${i}`, {
          method: 'POST',
          headers: json,
          body: JSON.stringify({ n: i, pad: 'p'.repeat(4000) }),
        });
      }
      const { log } = JSON.parse((await send(mock.url, '/__mock/state')).text) as ManifestMockState;
      assert.ok(log.bytes <= 64 * 1024 && log.entries > 0 && log.dropped > 0, JSON.stringify(log));
      assert.strictEqual(log.entries + log.dropped, 100);
      const entries = JSON.parse((await send(mock.url, '/__mock/requests')).text) as { path: string }[];
      assert.strictEqual(entries[entries.length - 1].path, '/v1/x/99', 'the newest are kept');
    } finally {
      await mock.close();
    }
  });

  it('the unmatched list keeps the latest 20, paths cut, and counts them all', async () => {
    const mock = await manifestMock();
    try {
      const long = `/${'a'.repeat(8000)}`;
      for (let i = 0; i < 300; i++) await send(mock.url, `${long}/${i}`, { method: 'POST', headers: json, body: '{}' });
      const state = JSON.parse((await send(mock.url, '/__mock/state')).text) as ManifestMockState;
      assert.strictEqual(state.unmatchedCount, 300);
      assert.strictEqual(state.unmatched.length, 20);
      for (const u of state.unmatched) assert.ok(u.path.length < 600 && u.path.endsWith('(cut)'), u.path.slice(-20));
    } finally {
      await mock.close();
    }
  });

  it('membership past one Set: members spill into further shards, in order, and the state lists them all', async () => {
    const mock = await startMockPartner({ limits: { shardSize: 1000 } });
    try {
      const created = JSON.parse(
        (await send(mock.url, '/v2/lists', { method: 'POST', headers: json, body: '{}' })).text,
      ) as {
        listId: string;
      };
      const users = Array.from({ length: 4500 }, (_, i) => `user-${i}@example.com`);
      const add = await send(mock.url, `/v2/lists/${created.listId}/users`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ users: [...users, ...users.slice(0, 10)] }),
      });
      assert.strictEqual(add.status, 200, add.text);
      assert.strictEqual((JSON.parse(add.text) as { size: number }).size, 4500, 'duplicates counted once');
      const removed = await send(mock.url, `/v2/lists/${created.listId}/users/remove`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ users: users.slice(1000, 2000) }),
      });
      assert.strictEqual((JSON.parse(removed.text) as { size: number }).size, 3500);
      const state = JSON.parse((await send(mock.url, '/__mock/state')).text) as HeuristicState;
      assert.deepStrictEqual(state.lists[created.listId], [...users.slice(0, 1000), ...users.slice(2000)]);
    } finally {
      await mock.close();
    }
  });

  it('the shards: one key lives in one shard, updates stay in place, order is insertion order', () => {
    assert.ok(SHARD_SIZE < 2 ** 24, "each shard stays under V8's 2^24 entries");
    const map = new ShardedMap<string, number>(2);
    for (const key of ['a', 'b', 'c', 'd', 'e']) map.set(key, 1);
    map.set('a', 2);
    assert.strictEqual(map.size, 5);
    assert.strictEqual(map.shardCount, 3);
    assert.strictEqual(map.get('a'), 2);
    assert.ok(map.delete('c') && !map.has('c') && !map.delete('c'));
    map.set('f', 3);
    assert.deepStrictEqual([...map.keys()], ['a', 'b', 'd', 'e', 'f']);
    const set = new ShardedSet<number>(3);
    for (let i = 0; i < 10; i++) set.add(i % 7);
    assert.deepStrictEqual([set.size, set.shardCount, [...set]], [7, 3, [0, 1, 2, 3, 4, 5, 6]]);
  });

  it('past its memory budget an add is refused with 507 and a clear message, and nothing is changed', async () => {
    const mock = await startMockPartner({ limits: { memberBytes: 80_000 } });
    try {
      const { listId } = JSON.parse(
        (await send(mock.url, '/v2/lists', { method: 'POST', headers: json, body: '{}' })).text,
      ) as {
        listId: string;
      };
      const batch = (from: number) => JSON.stringify({ users: Array.from({ length: 500 }, (_, i) => `u-${from + i}`) });
      const first = await send(mock.url, `/v2/lists/${listId}/users`, {
        method: 'POST',
        headers: json,
        body: batch(0),
      });
      assert.strictEqual(first.status, 200, first.text);
      const second = await send(mock.url, `/v2/lists/${listId}/users`, {
        method: 'POST',
        headers: json,
        body: batch(500),
      });
      assert.strictEqual(second.status, 507, second.text);
      assert.match(second.text, /keeps at most [\d.]+ MB of users \(about \d+ user ids\)[\s\S]*nothing was changed/);
      assert.match(second.text, /max-old-space-size/);
      const state = JSON.parse((await send(mock.url, '/__mock/state')).text) as HeuristicState;
      assert.strictEqual(state.lists[listId].length, 500);
    } finally {
      await mock.close();
    }
  });
});

/** The bytes a raw connection receives for two pipelined requests, or until the mock closes it. */
function rawExchange(mock: MockPartner, requests: string, until: (text: string) => boolean): Promise<string> {
  const { hostname, port } = new URL(mock.url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.write(requests));
    let text = '';
    const done = () => {
      socket.destroy();
      resolve(text);
    };
    socket.on('data', (c: Buffer) => {
      text += c.toString('latin1');
      if (until(text)) done();
    });
    socket.on('end', done);
    socket.on('error', reject);
  });
}

describe('hostile input: the mock answers bodiless statuses without a body', () => {
  let mock: MockPartner;
  before(async () => {
    mock = await startMockPartner({});
  });
  after(() => mock.close());

  for (const status of [204, 304]) {
    it(`status:${status} sends no body and no Content-Length: the next answer on the connection follows at once`, async () => {
      mock.setBehaviour({ kind: 'status', status });
      const host = new URL(mock.url).host;
      const request = `POST /v2/lists HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 2\r\n\r\n{}`;
      const heads = (text: string) => text.split('\r\n\r\n').length - 1;
      const text = await rawExchange(mock, request + request, (t) => heads(t) >= 2);
      const [first, second, rest] = text.split('\r\n\r\n');
      assert.match(first, new RegExp(`^HTTP/1\\.1 ${status} `));
      assert.doesNotMatch(first, /content-length|transfer-encoding|content-type/i);
      assert.match(
        second,
        new RegExp(`^HTTP/1\\.1 ${status} `),
        `the bytes after the first head: ${second.slice(0, 40)}`,
      );
      assert.strictEqual(rest, '');
    });
  }

  it('a 1xx answered as final: a head with no body, and the connection closed (the client does not wait on)', async () => {
    mock.setBehaviour({ kind: 'status', status: 103 });
    const host = new URL(mock.url).host;
    const text = await rawExchange(mock, `GET /v2/lists HTTP/1.1\r\nHost: ${host}\r\n\r\n`, () => false);
    const [head, ...after] = text.split('\r\n\r\n');
    assert.match(head, /^HTTP\/1\.1 103 /);
    assert.doesNotMatch(head, /content-length/i);
    assert.deepStrictEqual(after, ['']);
    mock.setBehaviour({ kind: 'ok' });
  });
});
