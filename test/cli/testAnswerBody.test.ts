import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO } from '../helpers/lspClient';
import { EXAMPLE_FILES } from '../helpers/manifests';

const CLI = path.join(REPO, 'dist', 'cli.js');
const TOKEN = 'pw_live_5Xq81Lm0';

function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: REPO, env: { ...process.env, ...env } });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.on('close', (code) => resolve({ code, stdout }));
  });
}

describe('test prints the answer body of a non-2xx answer, bounded and masked', function () {
  this.timeout(60_000);
  let server: http.Server;
  let url: string;
  let body = '';
  before(async () => {
    // A partner API that refuses with its reason, echoing the token it was sent (as some do).
    server = http.createServer((req, res) => {
      req.resume();
      res.writeHead(400, { 'content-type': 'application/json' }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise((resolve) => server.close(resolve)));

  const run = () => {
    const values = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'amp-answer-')), 'values.json');
    fs.writeFileSync(values, JSON.stringify({ workspace_id: 'default', region: 'us' }));
    return runCli(['test', EXAMPLE_FILES.list, '--endpoint', 'listCreation', '--values', values, '--target', url], {
      AMPLITUDE_VALUE_BEARER_TOKEN: TOKEN,
    });
  };

  it("shows a 400's JSON reason in the text output, the secret masked, other values readable", async () => {
    body = JSON.stringify({ error: 'workspace "default" is archived', auth: `Bearer ${TOKEN}` });
    const { stdout } = await run();
    assert.match(stdout, /400 Bad Request/);
    assert.match(stdout, /body:\n {4}\{"error":"workspace \\"default\\" is archived"/);
    assert.ok(!stdout.includes(TOKEN), stdout);
  });

  it('bounds a long body to its first 20 lines and says how much is left', async () => {
    body = Array.from({ length: 500 }, (_, i) => `line ${i} ${TOKEN}`).join('\n');
    const { stdout } = await run();
    assert.match(stdout, / {4}line 19 /);
    assert.doesNotMatch(stdout, /line 20 /);
    assert.match(stdout, /… \(\d+ more characters; --format json shows all\)/);
    assert.ok(!stdout.includes(TOKEN));
  });
});
