import * as assert from 'assert';
import * as net from 'net';
import { exampleWorkspace, runCliProcess } from '../helpers/cli';
import { EXAMPLE_FILES } from '../helpers/manifests';
import { rawServer } from '../helpers/rawServer';

type Misbehaviour = (socket: net.Socket) => void;

/** Servers that keep a connection busy without ever finishing an answer: each pause is short, the answer never ends. */
const MISBEHAVIOURS: Record<string, Misbehaviour> = {
  'trickles its body one byte a second': (socket) => {
    socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n');
    const timer = setInterval(() => socket.write(' '), 1000);
    socket.on('close', () => clearInterval(timer));
  },
  'lies about Content-Length': (socket) => {
    socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{"listId": "x"');
    const timer = setInterval(() => socket.write(' '), 800);
    socket.on('close', () => clearInterval(timer));
  },
  'floods 1xx answers': (socket) => {
    const timer = setInterval(() => socket.write('HTTP/1.1 102 Processing\r\n\r\n'), 200);
    socket.on('close', () => clearInterval(timer));
  },
  'trickles its headers': (socket) => {
    const header = 'HTTP/1.1 200 OK\r\nX-Slow: ' + 'a'.repeat(100000);
    let at = 0;
    const timer = setInterval(() => socket.write(header[at++] ?? 'a'), 500);
    socket.on('close', () => clearInterval(timer));
  },
};

describe('hostile input: every request has a total deadline', function () {
  this.timeout(60_000);
  const manifest = exampleWorkspace(EXAMPLE_FILES.list);
  const env = { AMPLITUDE_VALUE_BEARER_TOKEN: 'tok', AMPLITUDE_VALUE_WORKSPACE_ID: 'w', AMPLITUDE_VALUE_REGION: 'us' };

  for (const [name, behaviour] of Object.entries(MISBEHAVIOURS)) {
    it(`test --timeout 3000 ends within 10 s, exit 1, against a server that ${name}`, async () => {
      const server = await rawServer(behaviour);
      try {
        const result = await runCliProcess(['test', manifest, '--target', server.url, '--timeout', '3000'], {
          env,
          timeoutMs: 20_000,
        });
        assert.ok(!result.timedOut, 'the test never ended');
        assert.ok(result.ms < 10_000, `took ${result.ms} ms`);
        assert.strictEqual(result.code, 1, result.stdout + result.stderr);
        assert.match(result.stdout, /within 3000 ms/);
      } finally {
        server.close();
      }
    });
  }

  it('simulate ends too: every request of the sync has the deadline', async () => {
    const server = await rawServer(MISBEHAVIOURS['trickles its body one byte a second']);
    try {
      const args = ['simulate', manifest, '--target', server.url, '--timeout', '2000', '--users', '5'];
      const result = await runCliProcess(args, { env, timeoutMs: 30_000 });
      assert.ok(!result.timedOut, 'simulate never ended');
      assert.strictEqual(result.code, 1);
      assert.match(result.stdout, /stopped: .*within 2000 ms/);
    } finally {
      server.close();
    }
  });
});
