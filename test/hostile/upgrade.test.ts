import * as assert from 'node:assert/strict';
import { exampleWorkspace, runCliProcess } from '../helpers/cli';
import { EXAMPLE_FILES } from '../helpers/manifests';
import { rawServer } from '../helpers/rawServer';

/** A raw socket server that answers every request with `answer` (no HTTP library to tidy it up). */
function answering(answer: string): Promise<{ url: string; close: () => void }> {
  return rawServer((socket) => socket.write(answer));
}

const ANSWERS: Record<string, { answer: string; says: RegExp }> = {
  '101 with no Upgrade header': {
    answer: 'HTTP/1.1 101 Switching Protocols\r\n\r\n',
    says: /answered 101 Switching Protocols .*Amplitude sends plain HTTP requests and never upgrades/,
  },
  '101 to WebSocket': {
    answer: 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n',
    says: /answered 101 Switching Protocols .*this answer is unexpected/,
  },
  '101 with a body': {
    answer: 'HTTP/1.1 101 Switching Protocols\r\nContent-Length: 5\r\n\r\nhello',
    says: /answered 101 Switching Protocols/,
  },
  'an unasked 100 Continue': {
    answer: 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok',
    says: /sent an informational answer \(1xx, such as 100 Continue\) that the request did not ask for/,
  },
};

describe('hostile input: a 1xx or upgrade answer gets a clear message, never an assertion text', function () {
  this.timeout(60_000);
  const manifest = exampleWorkspace(EXAMPLE_FILES.list);
  const env = { AMPLITUDE_VALUE_BEARER_TOKEN: 'tok', AMPLITUDE_VALUE_WORKSPACE_ID: 'w', AMPLITUDE_VALUE_REGION: 'us' };

  for (const [name, { answer, says }] of Object.entries(ANSWERS)) {
    it(`test against a server that sends ${name}`, async () => {
      const server = await answering(answer);
      try {
        const result = await runCliProcess(['test', manifest, '--target', server.url, '--timeout', '5000'], {
          env,
          timeoutMs: 30_000,
        });
        assert.equal(result.timedOut, false);
        assert.equal(result.code, 1, result.stdout + result.stderr);
        assert.match(result.stdout, says);
        assert.doesNotMatch(result.stdout + result.stderr, /false == true|assert|falsy/i);
      } finally {
        server.close();
      }
    });
  }
});
