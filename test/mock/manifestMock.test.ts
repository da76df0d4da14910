import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { makeWorkspace, runCliProcess } from '../helpers/cli';
import { CORPUS } from '../helpers/corpus';
import { mutate } from '../helpers/manifests';
import { startMockProcess, type MockProcess } from '../helpers/mockProcess';

/**
 * The manifest-derived mock must not invert a verdict: the partner's real answers (fixtures), the partner's
 * own listIdPath (--list-id-path) and the types a request carries decide, not what the manifest expects.
 * Manifests from the corpus: Klaviyo lists (https://developers.klaviyo.com/en/reference/create_list answers
 * 201 {"data": {"type": "list", "id": "Y6nRLr", ...}}) and Braze users/track
 * (https://www.braze.com/docs/api/endpoints/user_data/post_user_track/: a boolean custom attribute).
 */

const KLAVIYO = path.join(CORPUS, 'klaviyo-lists', 'klaviyo-lists.amplitude.json');
const BRAZE = path.join(CORPUS, 'braze-attributes', 'braze-attributes.amplitude.json');

/** Klaviyo's documented answer to Create List, as a fixture: the id is at data.id, nowhere else. */
const KLAVIYO_FIXTURES = {
  routes: {
    listCreation: {
      status: 201,
      body: { data: { type: 'list', id: 'Y6nRLr', attributes: { name: 'Power users' } } },
    },
    addUsers: { status: 204 },
    removeUsers: { status: 204 },
  },
};

function workspaceWith(partner: string, manifests: Record<string, string>, extra: Record<string, string> = {}): string {
  const values = fs.readFileSync(path.join(CORPUS, partner, 'values.json'), 'utf8');
  const root = makeWorkspace({ ...manifests, ...extra, 'values.json': values });
  for (const name of Object.keys(manifests))
    fs.copyFileSync(path.join(CORPUS, 'klaviyo-lists', 'logo.png'), path.join(root, path.dirname(name), 'logo.png'));
  return root;
}

function simulate(root: string, manifest: string, mock: MockProcess, extra: string[] = []) {
  return runCliProcess(
    ['simulate', manifest, '--values', 'values.json', '--target', mock.url, '--users', '40', '--remove', '4', ...extra],
    { cwd: root, timeoutMs: 60_000 },
  );
}

async function mockState(
  mock: MockProcess,
): Promise<{ lists: Record<string, string[]>; properties: Record<string, unknown> }> {
  const answer = await fetch(`${mock.url}/__mock/state`);
  return (await answer.json()) as { lists: Record<string, string[]>; properties: Record<string, unknown> };
}

describe('The manifest-derived mock keeps the partner’s answers (no inverted verdicts)', () => {
  const klaviyo = fs.readFileSync(KLAVIYO, 'utf8');
  const running: MockProcess[] = [];
  const start = async (args: string[], cwd: string) => {
    const mock = await startMockProcess(args, cwd);
    running.push(mock);
    return mock;
  };
  afterEach(async () => {
    await Promise.all(running.splice(0).map((m) => m.stop()));
  });

  describe('a list creation fixture is the partner’s answer, used as it is', () => {
    const wrong = mutate(klaviyo, '"listIdPath": "data.id"', '"listIdPath": "listId"');
    const elsewhere = mutate(klaviyo, '"listIdPath": "data.id"', '"listIdPath": "data.type"');
    let root: string;
    before(() => {
      root = workspaceWith(
        'klaviyo-lists',
        { 'right.amplitude.json': klaviyo, 'wrong.amplitude.json': wrong, 'elsewhere.amplitude.json': elsewhere },
        {
          'fixtures.json': JSON.stringify(KLAVIYO_FIXTURES),
          // The fixture may say where its answer keeps the id; without that the mock reads the manifest's path.
          'located.json': JSON.stringify({ ...KLAVIYO_FIXTURES, listIdPath: 'data.id' }),
        },
      );
    });

    it('the right listIdPath (data.id) passes and the id in the answer holds the users', async () => {
      const mock = await start(['--manifest', 'right.amplitude.json', '--fixtures', 'fixtures.json'], root);
      const run = await simulate(root, 'right.amplitude.json', mock);
      assert.strictEqual(run.code, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /end state verified: list Y6nRLr holds the 36 expected users/);
      const state = await mockState(mock);
      assert.deepStrictEqual(Object.keys(state.lists), ['Y6nRLr']);
    });

    it('listIdPath "listId" fails: the answer has no listId, and the mock adds none', async () => {
      const mock = await start(['--manifest', 'wrong.amplitude.json', '--fixtures', 'fixtures.json'], root);
      const run = await simulate(root, 'wrong.amplitude.json', mock);
      assert.strictEqual(run.code, 1, run.stdout + run.stderr);
      assert.match(
        run.stdout + run.stderr,
        /No list id at "listId": the response has no "listId" \(its keys: "data"\)/,
      );
    });

    it('a path to another value of the answer (data.type) fails on the next call, as the real API would', async () => {
      const mock = await start(['--manifest', 'elsewhere.amplitude.json', '--fixtures', 'located.json'], root);
      const run = await simulate(root, 'elsewhere.amplitude.json', mock);
      assert.strictEqual(run.code, 1, run.stdout + run.stderr);
      assert.match(run.stdout, /404/);
      assert.deepStrictEqual(Object.keys((await mockState(mock)).lists), ['Y6nRLr']);
    });
  });

  describe('--list-id-path with --manifest says where the partner puts the id', () => {
    const wrong = mutate(klaviyo, '"listIdPath": "data.id"', '"listIdPath": "listId"');
    let root: string;
    before(() => {
      root = workspaceWith('klaviyo-lists', { 'right.amplitude.json': klaviyo, 'wrong.amplitude.json': wrong });
    });

    it('a manifest reading another path fails against it', async () => {
      const mock = await start(['--manifest', 'wrong.amplitude.json', '--list-id-path', 'data.id'], root);
      const run = await simulate(root, 'wrong.amplitude.json', mock);
      assert.strictEqual(run.code, 1, run.stdout + run.stderr);
      assert.match(run.stdout + run.stderr, /No list id at "listId"/);
    });

    it('the manifest reading that path passes', async () => {
      const mock = await start(['--manifest', 'right.amplitude.json', '--list-id-path', 'data.id'], root);
      const run = await simulate(root, 'right.amplitude.json', mock);
      assert.strictEqual(run.code, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /end state verified/);
    });
  });

  describe('membership keeps its type: the text "true" is not a boolean', () => {
    const braze = fs.readFileSync(BRAZE, 'utf8');
    // The portal editor's text with the variable quoted: Amplitude sends the text "true".
    const quoted = mutate(
      braze,
      `"itemTemplate": {
        "external_id": "$user_id_field_amplitude",
        "amplitude_$amp_cohort_name": "$amp_cohort_membership"
      },`,
      `"itemTemplateText": "{\\"external_id\\": \\"$user_id_field_amplitude\\", ` +
        `\\"amplitude_$amp_cohort_name\\": \\"$amp_cohort_membership\\"}",`,
    );
    let root: string;
    before(() => {
      // Braze's custom attribute is a boolean: the fixture says so (without it the mock cannot know; HubSpot's
      // checkbox properties take the text "true").
      const fixtures = { 'boolean.json': JSON.stringify({ membership: 'boolean' }) };
      root = workspaceWith(
        'braze-attributes',
        { 'right.amplitude.json': braze, 'quoted.amplitude.json': quoted },
        fixtures,
      );
    });

    it('a boolean membership passes', async () => {
      const mock = await start(['--manifest', 'right.amplitude.json', '--fixtures', 'boolean.json'], root);
      const run = await simulate(root, 'right.amplitude.json', mock);
      assert.strictEqual(run.code, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /end state verified: 40 users hold the expected membership/);
    });

    it('the text "true" is refused where the partner takes a boolean', async () => {
      const mock = await start(['--manifest', 'quoted.amplitude.json', '--fixtures', 'boolean.json'], root);
      const run = await simulate(root, 'quoted.amplitude.json', mock);
      assert.strictEqual(run.code, 1, run.stdout + run.stderr);
      assert.match(run.stdout, /statuses: 400 x\d+/);
      const answer = await fetch(`${mock.url}/users/track`, {
        method: 'POST',
        body: JSON.stringify({ attributes: [{ external_id: 'u1', amplitude_Power_users: 'true' }] }),
      });
      assert.strictEqual(answer.status, 400);
      assert.match(JSON.stringify(await answer.json()), /takes a boolean, not the text \\"true\\"/);
    });

    it('without that knowledge the text is kept as text, and the verdict says so', async () => {
      const mock = await start(['--manifest', 'quoted.amplitude.json'], root);
      const run = await simulate(root, 'quoted.amplitude.json', mock);
      assert.strictEqual(run.code, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /as the text "true" or "false", not a boolean/);
      const held = Object.values((await mockState(mock)).properties);
      assert.ok(held.includes('true') && !held.includes(true), `the mock keeps the text: ${JSON.stringify(held)}`);
    });
  });
});
