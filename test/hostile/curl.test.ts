import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { RunTestRequest, type SendSettings } from '../../server/src/protocol';
import { toCurl } from '../../server/src/testing/curl';
import type { BuiltRequest } from '../../server/src/testing/request';
import { fileUri, LspTestClient } from '../helpers/lspClient';
import { EXAMPLE_FILES, mutate, readExample } from '../helpers/manifests';

/** A folder with a `curl` that only writes its arguments, NUL-separated, to `argv.bin` beside it. */
function stubCurl(): { dir: string; argv: () => string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amp-curl-'));
  const out = path.join(dir, 'argv.bin');
  fs.writeFileSync(path.join(dir, 'curl'), `#!/bin/sh\nfor a in "$@"; do printf '%s\\0' "$a"; done > '${out}'\n`, {
    mode: 0o755,
  });
  return { dir, argv: () => fs.readFileSync(out, 'utf8').split('\0').slice(0, -1) };
}

/** Runs the copied command as a user pasting it would: bash, with the stub first on PATH. */
function runInBash(command: string, stubDir: string): void {
  execFileSync('bash', ['-c', command], {
    env: { ...process.env, PATH: `${stubDir}:${process.env.PATH ?? ''}` },
    stdio: 'ignore',
  });
}

const HOSTILE = [
  'POST $(touch MARKER)',
  'x`touch MARKER`y',
  "it's; touch MARKER; echo '",
  'a\ntouch MARKER\n',
  '"; touch MARKER; "',
  '$HOME ${PATH} !! !$ \\ * ? ~ [a] {a,b} # & | < > ( )',
  '\x1b[201~touch MARKER\r\n\x1b]52;c;dG91Y2ggTUFSS0VS\x07',
  '\u202etouch MARKER\u2066 \u0085',
];

describe('hostile input: a copied cURL command runs nothing, whatever the manifest holds', function () {
  this.timeout(60_000);
  const marker = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'amp-marker-')), 'ran');

  for (const raw of HOSTILE) {
    const text = raw.split('MARKER').join(marker);
    it(`bash passes ${JSON.stringify(raw.slice(0, 30))} to curl as one word in each place`, () => {
      const stub = stubCurl();
      const request: BuiltRequest = {
        endpoint: 'addUsers',
        method: text,
        url: `-o${text}https://api.example/v1?q=${text}`,
        headers: { [`X-${text}`]: text, Authorization: `Bearer ${text}` },
        body: JSON.stringify({ name: text, quote: "'" }),
        secrets: [],
      };
      runInBash(toCurl(request), stub.dir);
      assert.ok(!fs.existsSync(marker), 'a command in the manifest ran');
      assert.deepStrictEqual(stub.argv(), [
        '-X',
        request.method,
        '--url',
        request.url,
        '-H',
        `X-${text}: ${text}`,
        '-H',
        `Authorization: Bearer ${text}`,
        '--data-raw',
        request.body,
      ]);
    });
  }

  it('the command holds no raw control character for a terminal to act on when pasted', () => {
    const request: BuiltRequest = {
      endpoint: 'addUsers',
      method: 'POST',
      url: 'https://api.example/\x1b]0;title\x07',
      headers: { 'X-A': '\x1b[2K\u009b\u202e' },
      body: 'a\nb',
      secrets: [],
    };
    const lines = toCurl(request).split(' \\\n  ');
    // eslint-disable-next-line no-control-regex
    for (const line of lines) assert.ok(!/[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/.test(line), line);
  });
});

describe('hostile input: Show Request refuses a method that is not allowed, over LSP', function () {
  this.timeout(60_000);
  let client: LspTestClient;
  const send: SendSettings = {
    connectTimeoutMs: 1000,
    headersTimeoutMs: 1000,
    bodyTimeoutMs: 1000,
    totalTimeoutMs: 2000,
    maxResponseBytes: 1000,
  };
  before(async () => {
    client = new LspTestClient();
    await client.initialize();
  });
  after(() => client.stop());

  it('answers with a clear problem and no request for "POST $(touch /tmp/x)"', async () => {
    const uri = fileUri(path.join(path.dirname(EXAMPLE_FILES.list), 'method.amplitude.json'));
    const text = mutate(
      readExample('list'),
      '"method": "POST",\n      "payload": {\n        "name"',
      '"method": "POST $(touch /tmp/x)",\n      "payload": {\n        "name"',
    );
    await client.open(uri, text);
    const values = { bearer_token: 'tok', workspace_id: 'w', region: 'us' };
    const answer = await client.connection.sendRequest(RunTestRequest.method, {
      uri,
      name: 'listCreation',
      values,
      send,
      dryRun: true,
    });
    const { planned, problem } = answer as { planned?: BuiltRequest[]; problem?: string };
    assert.strictEqual(planned, undefined, 'a request was built');
    assert.match(problem ?? '', /method "POST \$\(touch \/tmp\/x\)" is not one of POST, PUT, PATCH, DELETE/);
  });
});
