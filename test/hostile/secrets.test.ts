import * as assert from 'assert';
import * as http from 'http';
import type { AddressInfo } from 'net';
import { mask, MASK } from '../../server/src/base/mask';
import { checkJson } from '../../server/src/freemarker/renderBody';
import { RunTestRequest, type RunTestAnswer } from '../../server/src/protocol';
import { exampleWorkspace, runCliProcess } from '../helpers/cli';
import { fileUri, LspTestClient } from '../helpers/lspClient';
import { EXAMPLE_FILES, mutate, readExample } from '../helpers/manifests';
import * as path from 'path';

const SECRET = 'sk_live/4f8Q"zZ';

/** The list example whose list creation payload is portal text with the secret field bare (not quoted). */
function barePayloadText(): string {
  let text = readExample('list');
  text = mutate(text, '"variable": "workspace_id",', '"variable": "workspace_id", "secret": true,');
  const payload =
    '"payload": {\n        "name": "$amp_cohort_name",\n        "source": "amplitude",\n' +
    '        "external_ref": "$amp_cohort_id",\n        "description": "Synced from Amplitude: $amp_cohort_url"\n' +
    '      },';
  return mutate(text, payload, '"payloadText": "{\\"name\\": \\"$amp_cohort_name\\", \\"ws\\": $workspace_id}",');
}

/** A partner that answers with the secret it got as a JSON key, some characters escaped (\/, \u00XX any case). */
function keyEchoServer(): Promise<{ url: string; close: () => void }> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const escaped = 'sk_live\\/4f\\u0038Q\\"z\\u005A';
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(`{"audience": {"id": "a1"}, "${escaped}": {"sk_\\u006cive\\u002F4f8Q\\u0022zZ": 1}}`);
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() }),
    ),
  );
}

/** The secret in any of the ways it can be read back: JSON-decoded every way the output may hold it. */
function shows(output: string, secret: string): boolean {
  const decoded = output.replace(/\\+u([0-9a-fA-F]{4})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  const plain = decoded.replace(/\\+(["/\\])/g, '$1');
  return [output, decoded, plain].some((text) => text.includes(secret) || text.includes('sk_live/4f8Q'));
}

describe('hostile input: no secret in an error message, and masking reads every JSON escape', function () {
  this.timeout(60_000);
  const env = {
    AMPLITUDE_VALUE_BEARER_TOKEN: 'tok-1',
    AMPLITUDE_VALUE_WORKSPACE_ID: SECRET,
    AMPLITUDE_VALUE_REGION: 'us',
  };

  it('validate reports a bare secret field in payloadText: the payload is not JSON once filled', async () => {
    const file = exampleWorkspace(EXAMPLE_FILES.list, barePayloadText());
    const run = await runCliProcess(['validate', file]);
    assert.notStrictEqual(run.code, 0, run.stdout);
    assert.match(run.stdout + run.stderr, /payload-text-not-json/);
    assert.match(run.stdout + run.stderr, /\$workspace_id is bare/);
  });

  for (const format of ['text', 'json', 'junit']) {
    it(`test --dry-run --format ${format} refuses the payload without quoting the filled text`, async () => {
      const file = exampleWorkspace(EXAMPLE_FILES.list, barePayloadText());
      const run = await runCliProcess(['test', file, '--dry-run', '--format', format, '--endpoint', 'listCreation'], {
        env,
      });
      const output = run.stdout + run.stderr;
      assert.match(output, /not JSON once its variables have values/, output);
      assert.match(output, /in the value of \$workspace_id/, output);
      assert.ok(!shows(output, SECRET), output);
    });
  }

  it('a rendered body that is not JSON is described by where, never by quoting the filled values', () => {
    const problem = checkJson(`{\n  "auth": ${SECRET}\n}`);
    assert.ok(problem !== undefined);
    assert.match(problem, /at line 2, column 11 of the output/);
    assert.ok(!problem.includes('sk_live'), problem);
  });

  it('mask catches a secret written with any mix of \\/, \\uXXXX (either case) and percent escapes', () => {
    const secret = 'a/b"c é';
    for (const form of [
      'a\\/b\\"c \\u00e9',
      'a\\u002Fb\\u0022c\\u0020\\u00E9',
      'a\\\\/b\\\\\\"c é',
      'a%2fb%22c+%C3%A9',
    ]) {
      assert.strictEqual(mask(`{"${form}": 1}`, [secret]), `{"${MASK}": 1}`, form);
    }
  });

  for (const format of ['json', 'junit', 'text']) {
    it(`test --format ${format}: a secret echoed as a JSON key with escapes is masked`, async () => {
      const server = await keyEchoServer();
      try {
        const file = exampleWorkspace(EXAMPLE_FILES.list, readExample('list'));
        const run = await runCliProcess(
          ['test', file, '--target', server.url, '--format', format, '--endpoint', 'listCreation'],
          { env: { ...env, AMPLITUDE_VALUE_BEARER_TOKEN: SECRET } },
        );
        const output = run.stdout + run.stderr;
        assert.ok(!shows(output, SECRET), output);
      } finally {
        server.close();
      }
    });
  }
});

describe('hostile input: Show Request over LSP quotes no filled text in its problem', function () {
  this.timeout(60_000);
  let client: LspTestClient;
  before(async () => {
    client = new LspTestClient();
    await client.initialize();
  });
  after(() => client.stop());

  it('the problem names $workspace_id, not its value (not even cut short)', async () => {
    const uri = fileUri(path.join(path.dirname(EXAMPLE_FILES.list), 'bare-secret.amplitude.json'));
    await client.open(uri, barePayloadText());
    const send = { connectTimeoutMs: 1000, headersTimeoutMs: 1000, bodyTimeoutMs: 1000, totalTimeoutMs: 2000 };
    const answer: RunTestAnswer = await client.connection.sendRequest(RunTestRequest.method, {
      uri,
      name: 'listCreation',
      values: { bearer_token: 'tok-1', workspace_id: SECRET, region: 'us' },
      send: { ...send, maxResponseBytes: 1000 },
      dryRun: true,
    });
    assert.strictEqual(answer.planned, undefined);
    assert.match(answer.problem ?? '', /in the value of \$workspace_id/);
    assert.ok(!(answer.problem ?? '').includes('sk_live'), answer.problem);
  });
});
