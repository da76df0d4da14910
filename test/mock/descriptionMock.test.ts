import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyzeManifest } from '../../server/src/analysis';
import { nodeFiles } from '../../server/src/base/files';
import { startDescriptionMock, type RunningDescriptionMock } from '../../server/src/mock/descriptionMock';
import { makeWorkspace, runCliProcess } from '../helpers/cli';
import { CORPUS } from '../helpers/corpus';
import { REPO } from '../helpers/lspClient';
import { mutate } from '../helpers/manifests';
import { runMockProcess, startMockProcess } from '../helpers/mockProcess';

/**
 * The mock that plays a partner's own API description (Stoplight Prism), over real HTTP and through the CLI.
 * Descriptions in test/fixtures/descriptions, each modelled on the partner's published reference (cited in
 * its info): Klaviyo lists (OpenAPI 3.1, YAML), Brevo contact lists (Swagger 2.0, JSON, base path /v3), Braze
 * users/track (OpenAPI 3.1, JSON); the manifests are the corpus's (test/fixtures/partners).
 */

const DESCRIPTIONS = path.join(REPO, 'test', 'fixtures', 'descriptions');

interface Partner {
  folder: string;
  description: string;
}

const KLAVIYO: Partner = { folder: 'klaviyo-lists', description: 'klaviyo-lists.openapi.yaml' };
const BREVO: Partner = { folder: 'brevo-lists', description: 'brevo-lists.swagger.json' };
const BRAZE: Partner = { folder: 'braze-attributes', description: 'braze-users-track.openapi.json' };

/** The tail of Klaviyo's addUsers endpoint (so that a replacement names addUsers, not removeUsers too). */
const KLAVIYO_ADD_TAIL = '\n      "copyErrorsFrom": "listCreation"\n    },\n    "removeUsers"';
const KLAVIYO_ITEM = '"itemTemplate": { "type": "profile", "id": "$profile_id_field_amplitude" },';
const BREVO_ADD = (size: number) =>
  `"batchSize": ${size},\n      "itemTemplate": "$email_field_amplitude",${KLAVIYO_ADD_TAIL}`;
const BRAZE_ITEM =
  '"itemTemplate": {\n        "external_id": "$user_id_field_amplitude",\n' +
  '        "amplitude_$amp_cohort_name": "$amp_cohort_membership"\n      },';

const manifestOf = (p: Partner) => fs.readFileSync(path.join(CORPUS, p.folder, `${p.folder}.amplitude.json`), 'utf8');

/** A workspace with the partner's manifest (as given), its logo and values, and its description. */
function workspaceFor(p: Partner, manifest = manifestOf(p), extra: Record<string, string> = {}): string {
  const root = makeWorkspace({
    'integration.amplitude.json': manifest,
    'values.json': fs.readFileSync(path.join(CORPUS, p.folder, 'values.json'), 'utf8'),
    ...extra,
  });
  fs.copyFileSync(path.join(CORPUS, p.folder, 'logo.png'), path.join(root, 'logo.png'));
  fs.copyFileSync(path.join(DESCRIPTIONS, p.description), path.join(root, p.description));
  return root;
}

function simulate(root: string, description: string | undefined, extra: string[] = []) {
  const api = description === undefined ? [] : ['--api-description', description];
  return runCliProcess(
    [
      'simulate',
      'integration.amplitude.json',
      '--values',
      'values.json',
      '--users',
      '400',
      '--remove',
      '40',
      ...api,
      ...extra,
    ],
    { cwd: root, timeoutMs: 60_000 },
  );
}

const KLAVIYO_HEADERS = {
  Authorization: 'Klaviyo-API-Key pk_test',
  revision: '2024-10-15',
  'Content-Type': 'application/vnd.api+json',
};

const profiles = (n: number) => ({ data: Array.from({ length: n }, (_, i) => ({ type: 'profile', id: `01H${i}` })) });

async function call(
  mock: RunningDescriptionMock,
  method: string,
  url: string,
  body?: unknown,
  headers = KLAVIYO_HEADERS,
) {
  const answer = await fetch(`${mock.url}${url}`, {
    method,
    headers,
    body: typeof body === 'string' || body === undefined ? body : JSON.stringify(body),
  });
  const text = await answer.text();
  return { status: answer.status, body: text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>) };
}

describe('The mock that plays the partner’s API description', () => {
  describe('over HTTP: Klaviyo lists, with the manifest’s bookkeeping behind it', () => {
    let mock: RunningDescriptionMock;
    before(async () => {
      const file = path.join(CORPUS, KLAVIYO.folder, `${KLAVIYO.folder}.amplitude.json`);
      const analysis = analyzeManifest(manifestOf(KLAVIYO), {
        baseDir: path.dirname(file),
        rootDir: REPO,
        files: nodeFiles,
      });
      mock = await startDescriptionMock(path.join(DESCRIPTIONS, KLAVIYO.description), REPO, {
        manifest: analysis.model,
        maxBodyBytes: 256 * 1024,
      });
    });
    after(() => mock.close());

    it('answers list creation with the documented example, a new id for each list, and keeps the members', async () => {
      const name = { data: { type: 'list', attributes: { name: 'Power users' } } };
      const first = await call(mock, 'POST', '/api/lists', name);
      const second = await call(mock, 'POST', '/api/lists', name);
      assert.strictEqual(first.status, 201);
      assert.deepStrictEqual(first.body, { data: { type: 'list', id: 'Y6nRLr', attributes: { name: 'Newsletter' } } });
      assert.deepStrictEqual(second.body?.data, { type: 'list', id: 'Y6nRLr-2', attributes: { name: 'Newsletter' } });
      const added = await call(mock, 'POST', '/api/lists/Y6nRLr-2/relationships/profiles', profiles(3));
      assert.strictEqual(added.status, 204);
      assert.deepStrictEqual(mock.state().lists, { Y6nRLr: [], 'Y6nRLr-2': ['01H0', '01H1', '01H2'] });
    });

    it('refuses a batch over maxItems with the documented 400 and the violation in the body', async () => {
      const refused = await call(mock, 'POST', '/api/lists/Y6nRLr/relationships/profiles', profiles(1001));
      assert.strictEqual(refused.status, 400);
      assert.deepStrictEqual(refused.body?.errors, [
        { id: '7e1f', code: 'invalid', detail: 'The request is not valid.' },
      ]);
      assert.deepStrictEqual(refused.body?.violations, [
        'Request body property data must NOT have more than 1000 items',
      ]);
      assert.ok(!mock.state().lists.Y6nRLr.includes('01H1000'), 'a refused batch keeps no member');
    });

    it('refuses a method the path lacks (405) and a path it lacks (404), naming what it has', async () => {
      const put = await call(mock, 'PUT', '/api/lists/Y6nRLr/relationships/profiles', profiles(1));
      assert.strictEqual(put.status, 405);
      assert.match(
        String(put.body?.error),
        /has no PUT operation on \/api\/lists\/Y6nRLr\/relationships\/profiles: it has only POST, DELETE/,
      );
      const wrong = await call(mock, 'POST', '/api/lists/Y6nRLr/profiles', profiles(1));
      assert.strictEqual(wrong.status, 404);
      assert.match(
        String(wrong.body?.error),
        /its paths: \/api\/lists\/, \/api\/lists\/\{id\}\/relationships\/profiles\//,
      );
    });

    it('refuses a request without the credential its security scheme names (401)', async () => {
      const { Authorization: _left, ...anonymous } = KLAVIYO_HEADERS;
      const refused = await call(
        mock,
        'POST',
        '/api/lists',
        { data: { type: 'list', attributes: { name: 'x' } } },
        anonymous as typeof KLAVIYO_HEADERS,
      );
      assert.strictEqual(refused.status, 401);
      assert.match(
        String(refused.body?.error),
        /no credential the description's security takes \(API key in the header "Authorization"\)/,
      );
    });

    it('refuses a body that is not JSON (400) and one over the cap (413)', async () => {
      const notJson = await call(mock, 'POST', '/api/lists', '{"data": ');
      assert.strictEqual(notJson.status, 400);
      assert.match(JSON.stringify(notJson.body?.violations), /The body is not JSON/);
      const huge = await call(mock, 'POST', '/api/lists/Y6nRLr/relationships/profiles', profiles(20_000));
      assert.strictEqual(huge.status, 413);
      assert.strictEqual(mock.state().refusals.at(-1)?.status, 400, 'the 413 is the server cap, before any validation');
    });
  });

  describe('as its own process (amplitude-integration-mock --api-description)', () => {
    it('checks an exact key on top of the scheme: a wrong bearer token refused, the right one answered', async () => {
      const root = workspaceFor(BRAZE);
      const mock = await startMockProcess(['--api-description', BRAZE.description, '--bearer', 'braze-rest-key'], root);
      try {
        const send = (token: string) =>
          fetch(`${mock.url}/users/track`, {
            method: 'POST',
            headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
            body: JSON.stringify({ attributes: [{ external_id: 'u1', amplitude_power_users: true }] }),
          });
        assert.strictEqual((await send('another-key')).status, 401);
        const ok = await send('braze-rest-key');
        assert.strictEqual(ok.status, 201);
        assert.deepStrictEqual(await ok.json(), { message: 'success', attributes_processed: 3 });
      } finally {
        await mock.stop();
      }
    });

    it('a broken description stops it with the reason and exit code 2, no stack trace', async () => {
      const root = makeWorkspace({ 'broken.yaml': 'openapi: 3.1.0\ninfo: { title: x\npaths: {}\n' });
      const run = await runMockProcess(['--api-description', 'broken.yaml'], root);
      assert.strictEqual(run.code, 2, run.out);
      assert.match(run.out, /broken\.yaml is not valid YAML or JSON at line \d+/);
      assert.doesNotMatch(run.out, /\n\s+at /);
    });
  });

  describe('simulate through the CLI: the correct manifest passes, each planted mistake fails with its reason', () => {
    /** `users`: enough that a batch passes the API's limit (a 3-user test cannot show a batch size). */
    const cases: {
      name: string;
      partner: Partner;
      from?: string;
      to?: string;
      reason: RegExp;
      users?: number;
      values?: string;
      /** A second replacement, where one mistake takes two edits. */
      also?: [string, string];
    }[] = [
      {
        name: 'Klaviyo, as published',
        partner: KLAVIYO,
        reason: /end state verified: list Y6nRLr holds the 360 expected users/,
      },
      {
        name: 'Klaviyo, a batch of 5000 where the API takes 1000',
        partner: KLAVIYO,
        from: `"batchSize": 1000,\n      ${KLAVIYO_ITEM}${KLAVIYO_ADD_TAIL}`,
        to: `"batchSize": 5000,\n      ${KLAVIYO_ITEM}${KLAVIYO_ADD_TAIL}`,
        reason: /relationships\/profiles\/ 400: Request body property data must NOT have more than 1000 items/,
        users: 2500,
      },
      {
        name: 'Klaviyo, listIdPath left at listId',
        partner: KLAVIYO,
        from: '"listIdPath": "data.id"',
        to: '"listIdPath": "listId"',
        reason: /No list id at "listId": the response has no "listId" \(its keys: "data"\)/,
      },
      {
        name: 'Klaviyo, PUT where the API has only POST',
        partner: KLAVIYO,
        from: '"method": "POST",\n      "payload": { "data": "$items" }',
        to: '"method": "PUT",\n      "payload": { "data": "$items" }',
        reason: /405: The API description has no PUT operation on \S+: it has only POST, DELETE there/,
      },
      {
        name: 'Klaviyo, a misspelt key ("typ")',
        partner: KLAVIYO,
        from: `${KLAVIYO_ITEM}${KLAVIYO_ADD_TAIL}`,
        to: `${KLAVIYO_ITEM.replace('"type"', '"typ"')}${KLAVIYO_ADD_TAIL}`,
        reason: /Request body property data\[\*\] must have required property 'type'/,
      },
      {
        name: 'Klaviyo, the list id in the wrong place of the path',
        partner: KLAVIYO,
        from: '"url": "https://a.klaviyo.com/api/lists/$list_id/relationships/profiles",\n      "method": "POST"',
        to: '"url": "https://a.klaviyo.com/api/lists/relationships/$list_id/profiles",\n      "method": "POST"',
        reason: /404: No operation of the API description has the path \/api\/lists\/relationships\/Y6nRLr\/profiles/,
      },
      {
        name: 'Brevo (Swagger 2.0, base path /v3), as published',
        partner: BREVO,
        reason: /end state verified: list 5 holds the 360 expected users/,
      },
      {
        name: 'Brevo, list creation without the API’s base path /v3',
        partner: BREVO,
        from: '"url": "https://api.brevo.com/v3/contacts/lists",',
        to: '"url": "https://api.brevo.com/contacts/lists",',
        reason:
          /404: The API's paths are under \/v3 \(its servers: https:\/\/api\.brevo\.com\/v3\), not \/contacts\/lists/,
      },
      {
        name: 'Brevo, the folder id sent as text where the API wants an integer',
        partner: BREVO,
        from: '\\"folderId\\": $folder_id',
        to: '\\"folderId\\": \\"$folder_id\\"',
        reason: /POST \/contacts\/lists 400: Request body property folderId must be integer/,
      },
      {
        name: 'Brevo, a batch of 500 where the API takes 150',
        partner: BREVO,
        from: BREVO_ADD(150),
        to: BREVO_ADD(500),
        reason: /Request body property emails must NOT have more than 150 items/,
      },
      {
        name: 'Braze, as published',
        partner: BRAZE,
        reason: /end state verified: 400 users hold the expected membership/,
      },
      {
        name: 'Braze, membership sent as the text "true"',
        partner: BRAZE,
        from: BRAZE_ITEM,
        to:
          '"itemTemplateText": "{\\"external_id\\": \\"$user_id_field_amplitude\\", ' +
          '\\"amplitude_$amp_cohort_name\\": \\"$amp_cohort_membership\\"}",',
        reason: /POST \/users\/track 400: Request body property attributes\[\*\]\.amplitude_[\w-]+ must be boolean/,
      },
      {
        name: 'Braze, the key sent bare where the API wants a bearer token',
        partner: BRAZE,
        from: '"authentication": { "method": "bearer", "bearerTokenDisplayName": "REST API Key" },',
        to: '"authentication": { "method": "header", "apiKeyDisplayName": "REST API Key" },',
        reason: /401: The request carries no credential the description's security takes \(HTTP bearer\)/,
        values: '{ "api_key": "braze-rest-key", "rest_endpoint": "rest.iad-01.braze.com" }',
        also: [
          '"headers": { "Content-Type": "application/json" },',
          '"headers": { "Content-Type": "application/json", "Authorization": "$api_key" },',
        ],
      },
    ];

    for (const c of cases) {
      const planted = c.from !== undefined;
      it(`${c.name}: ${planted ? 'fails' : 'passes'}`, async () => {
        let manifest = planted
          ? mutate(manifestOf(c.partner), c.from as string, c.to as string)
          : manifestOf(c.partner);
        if (c.also) manifest = mutate(manifest, ...c.also);
        const root = workspaceFor(c.partner, manifest, c.values ? { 'values.json': c.values } : {});
        const run = await simulate(root, c.partner.description, c.users ? ['--users', String(c.users)] : []);
        assert.strictEqual(run.code, planted ? 1 : 0, run.stdout + run.stderr);
        assert.match(run.stdout + run.stderr, c.reason);
        assert.match(
          run.stderr,
          new RegExp(`Playing the API description ${c.partner.description.replace('.', '\\.')}`),
        );
        if (!planted) assert.doesNotMatch(run.stdout, /refused/);
      });
    }

    it('an event stream (Iterable events/track): the real template’s bodies validated, a text timestamp refused', async () => {
      const partner: Partner = { folder: 'iterable-events', description: 'iterable-events-track.openapi.yaml' };
      const template = fs.readFileSync(path.join(CORPUS, partner.folder, 'track.ftl'), 'utf8');
      const quoted = mutate(template, '"createdAt": ${', '"createdAt": "${').replace('?floor?c},', '?floor?c}",');
      const replay = async (ftl: string) => {
        const root = workspaceFor(partner, manifestOf(partner), { 'track.ftl': ftl });
        const args = ['--events', '20', '--time-scale', '0.00001'];
        return simulate(root, partner.description, args);
      };
      const right = await replay(template);
      assert.strictEqual(right.code, 0, right.stdout + right.stderr);
      assert.match(right.stdout, /20 requests \(200 x20\)/);
      const wrong = await replay(quoted);
      assert.strictEqual(wrong.code, 1, wrong.stdout + wrong.stderr);
      assert.match(wrong.stdout, /POST \/api\/events\/track 400: Request body property createdAt must be integer/);
    });

    it('the manifest’s own apiDescription key plays it without the flag', async () => {
      const manifest = mutate(
        manifestOf(KLAVIYO),
        '"kind": "cohort-list",',
        `"kind": "cohort-list",\n  "apiDescription": "${KLAVIYO.description}",`,
      );
      const wrong = mutate(manifest, '"listIdPath": "data.id"', '"listIdPath": "listId"');
      const right = await simulate(workspaceFor(KLAVIYO, manifest), undefined);
      assert.strictEqual(right.code, 0, right.stdout + right.stderr);
      assert.match(right.stdout, /end state verified/);
      const failed = await simulate(workspaceFor(KLAVIYO, wrong), undefined);
      assert.strictEqual(failed.code, 1, failed.stdout + failed.stderr);
      assert.match(failed.stderr, /Playing the API description/);
    });

    it('test with --api-description sends to the mock too', async () => {
      const root = workspaceFor(KLAVIYO);
      const run = await runCliProcess(
        [
          'test',
          'integration.amplitude.json',
          '--values',
          'values.json',
          '--endpoint',
          'listCreation',
          '--api-description',
          KLAVIYO.description,
        ],
        { cwd: root },
      );
      assert.strictEqual(run.code, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /201/);
      assert.match(run.stdout, /list id: "Y6nRLr"/);
    });
  });

  it('Prism is in dist/description-mock.js only: not in the language server, the client or the CLI’s bundle', () => {
    // Prism's operations reader names itself in a User-Agent: the mark of its code in a bundle.
    const holds = (bundle: string) =>
      fs.readFileSync(path.join(REPO, 'dist', bundle), 'utf8').includes('PrismMockServer');
    assert.ok(holds('description-mock.js'));
    for (const bundle of ['server.js', 'client.js', 'cli-main.js', 'mock-server.js']) assert.ok(!holds(bundle), bundle);
  });

  describe('misbehaving inputs', () => {
    const expectRefused = async (
      files: Record<string, string>,
      description: string,
      reason: RegExp,
      extra: string[] = [],
    ) => {
      const root = workspaceFor(KLAVIYO, manifestOf(KLAVIYO), files);
      const run = await simulate(root, description, extra);
      assert.strictEqual(run.code, 2, run.stdout + run.stderr);
      assert.match(run.stderr, reason);
      assert.doesNotMatch(run.stderr, /\n\s+at |unexpected failure/);
    };

    it('a description that is not YAML', () =>
      expectRefused(
        { 'broken.yaml': 'openapi: 3.1.0\npaths:\n  /x: [\n' },
        'broken.yaml',
        /broken\.yaml is not valid YAML or JSON/,
      ));

    it('a document that is no API description', () =>
      expectRefused(
        { 'notes.yaml': 'title: notes\nitems: [1, 2]\n' },
        'notes.yaml',
        /neither "openapi: 3\.x" nor "swagger: 2\.0"/,
      ));

    it('a $ref to a file outside the workspace', () =>
      expectRefused(
        {
          'outside.yaml':
            'openapi: 3.1.0\ninfo: { title: x, version: "1" }\npaths:\n  /api/lists/:\n    post:\n' +
            "      requestBody: { content: { application/json: { schema: { $ref: '/etc/passwd' } } } }\n" +
            "      responses: { '201': { description: ok } }\n",
        },
        'outside.yaml',
        /outside the workspace; only files inside it are read/,
      ));

    it('a circular reference across files (which Prism would read by itself)', () =>
      expectRefused(
        {
          'lists.yaml':
            'openapi: 3.1.0\ninfo: { title: x, version: "1" }\npaths:\n  /api/lists/:\n    post:\n' +
            "      requestBody: { content: { application/json: { schema: { $ref: 'a.yaml' } } } }\n" +
            "      responses: { '201': { description: ok } }\n",
          'a.yaml': "type: object\nproperties:\n  next: { $ref: 'b.yaml' }\n",
          'b.yaml': "type: object\nproperties:\n  back: { $ref: 'a.yaml' }\n",
        },
        'lists.yaml',
        /lists\.yaml keeps a circular reference to another file \(a\.yaml\)/,
      ));

    it('a description file that is not there', () =>
      expectRefused({}, 'missing.yaml', /The API description .*missing\.yaml/));

    it('a manifest whose apiDescription leaves the workspace', async () => {
      const manifest = mutate(
        manifestOf(KLAVIYO),
        '"kind": "cohort-list",',
        '"kind": "cohort-list",\n  "apiDescription": "../x.yaml",',
      );
      const run = await simulate(workspaceFor(KLAVIYO, manifest), undefined);
      assert.strictEqual(run.code, 2, run.stdout + run.stderr);
      assert.match(run.stderr, /The API description "\.\.\/x\.yaml" .*outside/);
      assert.doesNotMatch(run.stderr, /\n\s+at |unexpected failure/);
    });

    it('--api-description with --target: one or the other', () =>
      expectRefused({}, KLAVIYO.description, /give one of them/, ['--target', 'http://127.0.0.1:9']));
  });
});
