import * as assert from 'assert';
import * as http from 'http';
import type { AddressInfo } from 'net';
import { mask, secretForms } from '../../server/src/base/mask';
import { renderResponseHtml } from '../../client/src/testEndpoint/html';
import { toCurl } from '../../server/src/testing/curl';
import { buildRequests } from '../../server/src/testing/request';
import { DEFAULT_TEST_VALUES } from '../../server/src/testing/values';
import { exampleWorkspace, runCliProcess } from '../helpers/cli';
import { analyzeAs, EXAMPLE_FILES, mutate, readExample } from '../helpers/manifests';

/** Secrets as partners' APIs issue them: spaces, slashes, quotes, backslashes, base64's + / =. */
const SECRETS = ['SECRET CANARY/123', 'tok"en\\with\'quotes', 'c2VjcmV0+Zm9v/YmFy==', 'pa ss&word=1+2%3'];

/** Every encoding a leak could take, to search output for. */
function leaks(output: string, secret: string): string[] {
  const forms = new Set([
    secret,
    encodeURIComponent(secret),
    encodeURIComponent(secret).toLowerCase(),
    encodeURI(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
    JSON.stringify(secret).slice(1, -1),
    JSON.stringify(JSON.stringify(secret)).slice(1, -1),
    Buffer.from(secret).toString('base64'),
  ]);
  return [...forms].filter((form) => form.length > 3 && output.includes(form));
}

/** A server that echoes everything it received, in JSON: the worst case for a leak. */
function echoServer(): Promise<{ url: string; close: () => void }> {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const echo = JSON.stringify({ url: req.url, headers: req.headers, body, listId: 'l1' });
      res.writeHead(400, { 'Content-Type': 'application/json', 'X-Echo': req.headers.authorization ?? '' });
      res.end(echo);
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() }),
    ),
  );
}

/** The list example with a secret custom field used in the URL, a header and the payload. */
function manifestText(): string {
  let text = readExample('list');
  text = mutate(text, '"variable": "workspace_id",', '"variable": "workspace_id", "secret": true,');
  text = mutate(
    text,
    '"url": "https://api.$region.pushwave.example/v2/audiences",',
    '"url": "https://api.$region.pushwave.example/v2/audiences?ws=$workspace_id",',
  );
  text = mutate(text, '"source": "amplitude",', '"source": "amplitude $workspace_id",');
  return text;
}

describe('hostile input: a secret appears in no output, in no encoding', function () {
  this.timeout(60_000);

  it('secretForms covers what masking must catch', () => {
    for (const secret of SECRETS) {
      const text = [secret, encodeURIComponent(secret), JSON.stringify({ s: JSON.stringify({ s: secret }) })].join(' ');
      assert.deepStrictEqual(leaks(mask(text, [secret]), secret), [], secret);
      assert.ok(secretForms(secret).length > 3);
    }
  });

  for (const secret of SECRETS) {
    it(`test, --format json, --dry-run and simulate print no form of ${JSON.stringify(secret)}`, async () => {
      const server = await echoServer();
      const file = exampleWorkspace(EXAMPLE_FILES.list, manifestText());
      const env = {
        AMPLITUDE_VALUE_BEARER_TOKEN: secret,
        AMPLITUDE_VALUE_WORKSPACE_ID: secret,
        AMPLITUDE_VALUE_REGION: 'us',
      };
      try {
        const runs = [
          ['test', file, '--target', server.url],
          ['test', file, '--target', server.url, '--format', 'json'],
          ['test', file, '--dry-run', '--format', 'json'],
          ['test', file, '--dry-run'],
          ['simulate', file, '--target', server.url, '--users', '3'],
          ['simulate', file, '--dry-run', '--users', '3', '--format', 'json'],
        ];
        for (const args of runs) {
          const result = await runCliProcess(args, { env });
          const output = result.stdout + result.stderr;
          assert.deepStrictEqual(leaks(output, secret), [], `${args.join(' ')}:\n${output}`);
          // A summary shows no request; everything else shows the masked secret where it was.
          if (args[0] === 'test' || args.includes('--dry-run'))
            assert.match(output, /••••••••/, `${args.join(' ')}:\n${output}`);
        }
      } finally {
        server.close();
      }
    });
  }

  it('the masked cURL and the response panel hold no form of a basic-auth secret either', () => {
    const property = analyzeAs('property', readExample('property'));
    for (const secret of SECRETS) {
      const values = {
        ...DEFAULT_TEST_VALUES,
        variables: { api_key: 'key', api_secret: secret, account_subdomain: 'a', attribute_prefix: 'p' },
      };
      const [request] = buildRequests(property.model, 'update', { values, users: [] });
      const curl = toCurl(request);
      const html = renderResponseHtml(
        {
          title: 't',
          request,
          batches: 1,
          result: {
            ok: true,
            status: 401,
            statusText: 'Unauthorized',
            headers: { 'x-echo': request.headers.Authorization },
            body: JSON.stringify({ got: request.headers.Authorization, secret }),
            bytes: 1,
            truncated: false,
            timing: { waitingMs: 1, downloadMs: 1, totalMs: 2 },
          },
        },
        'nonce',
        'csp',
      );
      for (const [what, output] of [
        ['curl', curl],
        ['html', html],
      ]) {
        assert.deepStrictEqual(leaks(output, secret), [], `${what}: ${output}`);
        assert.ok(!output.includes(Buffer.from(`key:${secret}`).toString('base64')), `${what} shows the Basic token`);
      }
      assert.ok(
        toCurl(request, true).includes(Buffer.from(`key:${secret}`).toString('base64')),
        'asked for, the secret is there',
      );
    }
  });
});
