import * as assert from 'assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TestPlanRequest } from '../../server/src/protocol';
import { fileUri, LspTestClient } from '../helpers/lspClient';
import { mask, MASK } from '../../server/src/base/mask';
import { toCurl } from '../../server/src/testing/curl';
import { buildRequests } from '../../server/src/testing/request';
import { buildStreamingRequest } from '../../server/src/testing/streaming/streamingRequest';
import { DEFAULT_TEST_VALUES, secretParameterNames, secretVariableNames } from '../../server/src/testing/values';
import { analyzeAs, mutate, readExample } from '../helpers/manifests';

/** Pushwave with a `project_key` custom field (not secret: it names a project) in the payload. */
const withProjectKey = (auth: string) =>
  mutate(
    mutate(
      mutate(readExample('list'), '"source": "amplitude"', '"source": "$project_key"'),
      '"customFields": [',
      '"customFields": [{ "variable": "project_key", "displayName": "Project key", "type": "string" },' +
        '{ "variable": "signing_value", "displayName": "Signing value", "type": "string", "secret": true },',
    ),
    '"method": "bearer",\n    "bearerTokenDisplayName": "Pushwave API Token"',
    auth,
  );

const variables = {
  project_key: 'default',
  signing_value: 'sig-SECRET-9',
  workspace_id: 'ws-1',
  region: 'eu',
  bearer_token: 'tok-SECRET-1',
  api_key: 'key-SECRET-2',
  api_secret: 'sec-SECRET-3',
};
const cohort = { ...DEFAULT_TEST_VALUES, cohortName: 'default users', variables };

function listCreation(text: string) {
  const analysis = analyzeAs('list', text);
  return buildRequests(analysis.model, 'listCreation', { values: cohort })[0];
}

describe('secrets: what is secret, never what a name looks like', () => {
  it('a project_key of "default" stays readable, in the cURL and in a cohort named "default users"', () => {
    const request = listCreation(withProjectKey('"method": "bearer"'));
    assert.ok(!request.secrets.includes('default'), JSON.stringify(request.secrets));
    const curl = toCurl(request);
    assert.match(curl, /"source":"default"/);
    assert.match(curl, /default-users|default users|default_users/);
    assert.ok(curl.includes(`Bearer ${MASK}`));
    assert.ok(!curl.includes('tok-SECRET-1'));
  });

  it("every authentication method's variables are secret, and a custom field marked secret", () => {
    const cases: [string, string[]][] = [
      ['"method": "bearer"', ['bearer_token']],
      ['"method": "header"', ['api_key']],
      ['"method": "basic"', ['api_key', 'api_secret']],
      ['"method": "none"', []],
    ];
    for (const [auth, names] of cases) {
      const analysis = analyzeAs('list', withProjectKey(auth));
      assert.deepStrictEqual([...secretVariableNames(analysis.model)].sort(), [...names, 'signing_value'].sort(), auth);
    }
    const header = listCreation(withProjectKey('"method": "header"'));
    assert.deepStrictEqual(header.secrets.sort(), ['key-SECRET-2', 'sig-SECRET-9']);
    assert.strictEqual(mask('k=key-SECRET-2 p=default', header.secrets), `k=${MASK} p=default`);
  });

  it('streaming: a parameter marked secret is masked; one merely named like a key is not', () => {
    const text = mutate(
      readExample('streaming'),
      '{ "name": "app_id", "displayName": "Beacon App ID" }',
      '{ "name": "app_id", "displayName": "Beacon App ID" }, { "name": "project_key", "displayName": "Project" }',
    );
    const { streaming } = analyzeAs('streaming', text).model;
    assert.deepStrictEqual([...secretParameterNames(streaming)], ['api_key']);
    const request = buildStreamingRequest(streaming, '{}', {
      region: 'us',
      api_key: 'bk-SECRET',
      project_key: 'default',
    });
    assert.deepStrictEqual(request.secrets, ['bk-SECRET']);
  });
});

describe('secrets over LSP: what the client keeps in SecretStorage', function () {
  this.timeout(60_000);
  it('the test plan marks the auth variable and the marked field secret, project_key not', async () => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'amp-secrets-')));
    const client = new LspTestClient(dir);
    try {
      await client.initialize();
      const uri = fileUri(path.join(dir, 'pushwave.amplitude.json'));
      await client.open(uri, withProjectKey('"method": "basic"'));
      const plan = await client.request(TestPlanRequest, { uri });
      const secret = Object.fromEntries(plan.needs.map((need) => [need.name, need.secret]));
      assert.deepStrictEqual(secret, {
        project_key: false,
        signing_value: true,
        workspace_id: false,
        region: false,
        api_key: true,
        api_secret: true,
      });
    } finally {
      await client.stop();
    }
  });
});
