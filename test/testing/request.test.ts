import * as assert from 'assert';
import { mask, MASK } from '../../server/src/base/mask';
import { toCurl } from '../../server/src/testing/curl';
import { buildRequests, RequestBuildError } from '../../server/src/testing/request';
import { compileJson, encodeJsonText, fill } from '../../server/src/testing/payload';
import { DEFAULT_TEST_VALUES, generateUsers } from '../../server/src/testing/values';
import { parseUsersCsv } from '../../server/src/testing/cohort/usersCsv';
import { analyzeAs, mutate, readExample } from '../helpers/manifests';

const values = {
  ...DEFAULT_TEST_VALUES,
  variables: { bearer_token: 'tok-SECRET-123', workspace_id: 'ws 9/x', region: 'eu' },
};

describe('request builder', () => {
  const list = analyzeAs('list', readExample('list'));

  it('fills a whole-string variable with its JSON value, inner ones as text, and leaves unknown keys literal', () => {
    const pieces = compileJson({ ids: '$items', label: 'n=$n', $n: 1, $set: { nested: ['$items'] } }, new Set(['n']));
    const values: Record<string, unknown> = { items: ['a', 'b'], n: 'x"y' };
    const body = fill(pieces, (hole) => values[hole.name], encodeJsonText);
    assert.deepStrictEqual(JSON.parse(body), {
      ids: ['a', 'b'],
      label: 'n=x"y',
      'x"y': 1,
      $set: { nested: [['a', 'b']] },
    });
  });

  it('builds list creation with bearer auth, additional headers and the slugified cohort name', () => {
    const [request] = buildRequests(list.model, 'listCreation', { values });
    assert.strictEqual(request.url, 'https://api.eu.pushwave.example/v2/audiences');
    assert.strictEqual(request.headers.Authorization, 'Bearer tok-SECRET-123');
    assert.strictEqual(request.headers['X-Pushwave-Workspace'], 'ws 9/x');
    assert.deepStrictEqual(JSON.parse(request.body), {
      name: 'Saturday-s-cohort-he-llo',
      source: 'amplitude',
      external_ref: 'coh_12345',
      description: `Synced from Amplitude: ${DEFAULT_TEST_VALUES.cohortUrl}`,
    });
  });

  it('URL-encodes values in the path and splits users by the batch size', () => {
    const text = mutate(
      readExample('list'),
      '"batchSize": 10000,\n      "itemTemplate": "$user_id_field_amplitude",\n      "copyErrorsFrom": "listCreation"\n    },\n    "removeUsers"',
      '"batchSize": 2,\n      "itemTemplate": { "id": "$user_id_field_amplitude", "ws": "$workspace_id" },\n      "copyErrorsFrom": "listCreation"\n    },\n    "removeUsers"',
    );
    const analysis = analyzeAs('list', text);
    const requests = buildRequests(analysis.model, 'addUsers', {
      values,
      users: generateUsers(5, ['user_id_field_amplitude']),
      listId: 'list/1 a',
    });
    assert.strictEqual(requests.length, 3);
    assert.strictEqual(requests[0].url, 'https://api.eu.pushwave.example/v2/audiences/list%2F1%20a/members');
    assert.deepStrictEqual(JSON.parse(requests[0].body).external_ids, [
      { id: 'user-000001', ws: 'ws 9/x' },
      { id: 'user-000002', ws: 'ws 9/x' },
    ]);
    assert.deepStrictEqual(
      requests.map((r) => r.batchSize),
      [2, 2, 1],
    );
  });

  it('sends Basic base64(key:secret) for basic auth', () => {
    const property = analyzeAs('property', readExample('property'));
    const [request] = buildRequests(property.model, 'update', {
      values: {
        ...DEFAULT_TEST_VALUES,
        variables: { api_key: 'key', api_secret: 'sec', account_subdomain: 'acme', attribute_prefix: 'amp_' },
      },
      users: generateUsers(1, ['email_field_amplitude']),
    });
    assert.strictEqual(request.headers.Authorization, `Basic ${Buffer.from('key:sec').toString('base64')}`);
    assert.deepStrictEqual(JSON.parse(request.body).contacts, [{ email: 'user-000001@example.com' }]);
    assert.strictEqual(JSON.parse(request.body).attribute, 'amp_Saturday-s-cohort-he-llo');
  });

  it('sends $amp_cohort_membership as a JSON boolean: true for entering users, false for leaving ones', () => {
    const property = analyzeAs('property', readExample('property'));
    const options = {
      values: {
        ...DEFAULT_TEST_VALUES,
        variables: { api_key: 'key', api_secret: 'sec', account_subdomain: 'acme', attribute_prefix: 'amp_' },
      },
      users: generateUsers(1, ['email_field_amplitude']),
    };
    assert.strictEqual(JSON.parse(buildRequests(property.model, 'update', options)[0].body).value, true);
    assert.strictEqual(
      JSON.parse(buildRequests(property.model, 'update', { ...options, membership: false })[0].body).value,
      false,
    );
    const inText = analyzeAs(
      'property',
      readExample('property').replace('"value": "$amp_cohort_membership"', '"value": "member=$amp_cohort_membership"'),
    );
    assert.strictEqual(
      JSON.parse(buildRequests(inText.model, 'update', { ...options, membership: false })[0].body).value,
      'member=false',
    );
  });

  it('says which test values are missing', () => {
    assert.throws(
      () =>
        buildRequests(list.model, 'addUsers', {
          values: { ...values, variables: { bearer_token: 't' } },
        }),
      (e: unknown) => e instanceof RequestBuildError && /\$workspace_id/.test(e.message) && /\$list_id/.test(e.message),
    );
  });

  it('masks secrets in cURL unless asked for them', () => {
    const [request] = buildRequests(list.model, 'listCreation', { values });
    assert.ok(!toCurl(request).includes('tok-SECRET-123'));
    assert.ok(toCurl(request).includes(`Bearer ${MASK}`));
    assert.ok(toCurl(request, true).includes('Bearer tok-SECRET-123'));
    assert.strictEqual(mask('a tok-SECRET-123 b', request.secrets), `a ${MASK} b`);
  });

  it('reads users from a CSV in the portal format', () => {
    const users = parseUsersCsv(
      'operation,user_id_field_amplitude,amp_cohort_name,amp_cohort_id\nadd,u1,Cohort,c1\nremove,u2,Cohort,c1\nadd,u3,Cohort,c1\n',
    );
    assert.deepStrictEqual(
      users.add.map((u) => u.fields.user_id_field_amplitude),
      ['u1', 'u3'],
    );
    assert.deepStrictEqual(
      users.remove.map((u) => u.fields.user_id_field_amplitude),
      ['u2'],
    );
    assert.strictEqual(users.cohort.amp_cohort_name, 'Cohort');
    assert.throws(() => parseUsersCsv('user,id\n'), /operation/);
  });
});
