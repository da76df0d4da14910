import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO } from '../helpers/lspClient';

const CLI = path.join(REPO, 'dist', 'cli.js');
const TOKEN = 'tok_LIVE_9f8e7d6c5b4a';
const USER = 'acct-4471';
const BASIC = Buffer.from(`${USER}:${TOKEN}`).toString('base64');

/** Every form a copied cURL command carries a credential in, and the method it calls for. */
const FORMS: [string, string, string][] = [
  ['Bearer', `-H 'Authorization: Bearer ${TOKEN}'`, 'bearer'],
  ['Basic header', `-H 'Authorization: Basic ${BASIC}'`, 'basic'],
  ['-u', `-u '${USER}:${TOKEN}'`, 'basic'],
  ['X-Api-Key', `-H 'X-Api-Key: ${TOKEN}'`, 'header'],
  ['?api_key=', '', 'header'],
];

function importCurl(form: string, kind: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amp-import-cred-'));
  const query = form === '' ? `?api_key=${TOKEN}&page=1` : '';
  const command =
    `curl -X POST 'https://api.acme.example/v2/audiences${query}' ${form} ` +
    `-H 'Content-Type: application/json' -d '{"name": "$amp_cohort_name"}'`;
  fs.writeFileSync(path.join(dir, 'request.sh'), command);
  const result = spawnSync(
    process.execPath,
    [CLI, 'import', '--curl', 'request.sh', '--kind', kind, '--template-out', 'body.ftl'],
    { cwd: dir, encoding: 'utf8' },
  );
  fs.rmSync(path.join(dir, 'request.sh'));
  const written = fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
  return { result, everything: [result.stdout, result.stderr, ...written].join('\n') };
}

describe('import --curl never writes a credential', () => {
  for (const [name, form, method] of FORMS) {
    it(`${name}: becomes the ${method} method's variable; the token is nowhere, in no encoding`, () => {
      const { result, everything } = importCurl(form, 'cohort-list');
      assert.equal(result.status, 0, result.stderr);
      for (const secret of [TOKEN, BASIC, encodeURIComponent(TOKEN), Buffer.from(TOKEN).toString('base64')])
        assert.ok(!everything.includes(secret), `${secret} in ${everything}`);
      const fragment = JSON.parse(result.stdout) as { authentication?: { method: string } };
      assert.equal(fragment.authentication?.method, method);
      assert.match(result.stderr, /was not kept/);
      if (method === 'header') assert.match(result.stdout, /\$api_key/);
    });
  }

  it('streaming: each form becomes a parameter marked secret, the token in no file written', () => {
    for (const [name, form] of FORMS) {
      const { result, everything } = importCurl(form, 'event-streaming');
      assert.equal(result.status, 0, result.stderr);
      assert.ok(!everything.includes(TOKEN) && !everything.includes(BASIC), `${name}: ${everything}`);
      const fragment = JSON.parse(result.stdout) as { parameters?: { secret?: boolean }[] };
      assert.ok(
        fragment.parameters?.some((p) => p.secret === true),
        name,
      );
    }
  });
});
