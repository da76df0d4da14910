import * as assert from 'assert';
import * as http from 'http';
import { startMockPartner, type MockPartner } from '../../server/src/mock/mockPartner';

function post(
  url: string,
  body: string | (() => Generator<Buffer>),
  path = '/__mock/behaviour',
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${url}${path}`,
      { method: 'POST', headers: { 'Content-Type': 'application/json' } },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    if (typeof body === 'string') req.end(body);
    else {
      void (async () => {
        try {
          for (const chunk of body()) if (!req.write(chunk)) await new Promise((r) => req.once('drain', r));
          req.end();
        } catch {
          // the mock closed the connection after refusing: expected
        }
      })();
    }
  });
}

function* bytes(total: number): Generator<Buffer> {
  const chunk = Buffer.alloc(1024 * 1024, 'x');
  for (let sent = 0; sent < total; sent += chunk.length) yield chunk;
}

describe('hostile input: the mock survives what it is sent', function () {
  this.timeout(60_000);
  let mock: MockPartner;
  before(async () => {
    mock = await startMockPartner({ listIdPath: 'id' });
  });
  after(() => mock.close());

  it('a null, an empty object or a wrong behaviour gets a 400, and the mock goes on answering', async () => {
    for (const body of [
      'null',
      '{}',
      '[]',
      '"status"',
      '{"kind": 401}',
      '{"kind": "nope"}',
      '{"kind": "status", "arg": "abc"}',
      'not json',
    ]) {
      const answer = await post(mock.url, body);
      assert.strictEqual(answer.status, 400, `${body}: ${answer.text}`);
    }
    const created = await post(mock.url, '{"name": "x"}', '/v2/lists');
    assert.strictEqual(created.status, 200, created.text);
  });

  it('both documented forms of the switch work: {"kind": "status:401:{...}"} and {"kind": "status", "arg": "401"}', async () => {
    assert.strictEqual((await post(mock.url, '{"kind": "status:401:{\\"error_code\\": 7}"}')).status, 200);
    let answer = await post(mock.url, '{}', '/v2/lists');
    assert.deepStrictEqual([answer.status, JSON.parse(answer.text)], [401, { error_code: 7 }]);
    assert.strictEqual((await post(mock.url, '{"kind": "status", "arg": "409"}')).status, 200);
    answer = await post(mock.url, '{}', '/v2/lists');
    assert.strictEqual(answer.status, 409);
    assert.strictEqual((await post(mock.url, '{"kind": "ok"}')).status, 200);
  });

  it('a 600 MB request body is refused with 413 without being held, and the mock goes on', async () => {
    const before = process.memoryUsage().rss;
    const answer = await post(mock.url, () => bytes(600 * 1024 * 1024), '/v2/lists');
    assert.strictEqual(answer.status, 413);
    assert.ok(process.memoryUsage().rss - before < 200 * 1024 * 1024, 'the body was held in memory');
    const created = await post(mock.url, '{"name": "x"}', '/v2/lists');
    assert.strictEqual(created.status, 200);
  });
});
