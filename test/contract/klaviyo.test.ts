import * as assert from 'assert';
import { contractOf, fixture, plant, readFixture, summary } from './helpers';

/**
 * A list-based sync to Klaviyo lists against a description modelled on Klaviyo's OpenAPI document (OpenAPI 3.1,
 * the profile array in a sibling file): the correct manifest is quiet, each planted mistake is caught on its key.
 */
const FILE = fixture('klaviyo', 'klaviyo-lists.amplitude.json');
const CORRECT = readFixture('klaviyo', 'klaviyo-lists.amplitude.json');

async function planted(from: string, to: string) {
  return contractOf(FILE, plant(CORRECT, from, to));
}

describe('contract checks: Klaviyo-like lists (OpenAPI 3.1)', () => {
  it('the correct manifest: no contract finding, no manifest finding', async () => {
    const found = await contractOf(FILE);
    assert.deepStrictEqual(found.manifest, []);
    assert.deepStrictEqual(found.contract, []);
  });

  it('"contract-list-id-path": listIdPath left at listId where the answer is {"data": {"id": ...}}', async () => {
    const found = await planted('"listIdPath": "data.id"', '"listIdPath": "listId"');
    assert.deepStrictEqual(summary(found), [['contract-list-id-path', 'error', '"listId"']]);
    assert.match(found.contract[0].message, /listIdPath "listId" is not in the 201 answer of POST \/api\/lists\//);
    assert.match(found.contract[0].message, /at \(the top level\) it has "data"/);
  });

  it('"contract-list-id-path": listIdPath naming an object ("data")', async () => {
    const found = await planted('"listIdPath": "data.id"', '"listIdPath": "data"');
    assert.deepStrictEqual(summary(found), [['contract-list-id-path', 'error', '"data"']]);
    assert.match(found.contract[0].message, /names an object/);
  });

  it('"contract-batch-size": a batch of 10,000 where the schema takes at most 1000 profiles', async () => {
    const found = await planted(
      '"batchSize": 1000,\n      "copyErrorsFrom": "listCreation"\n    },\n    "removeUsers"',
      '"batchSize": 10000,\n      "copyErrorsFrom": "listCreation"\n    },\n    "removeUsers"',
    );
    assert.deepStrictEqual(summary(found), [['contract-batch-size', 'error', '10000']]);
    assert.match(found.contract[0].message, /Add users sends up to 10,000 users per request/);
    assert.match(found.contract[0].message, /takes at most 1000 in \/data \("maxItems": 1000/);
  });

  it('"contract-method": PUT where the path has only POST and DELETE', async () => {
    const found = await planted(
      '"method": "POST",\n      "payload": { "data": "$items" }',
      '"method": "PUT",\n      "payload": { "data": "$items" }',
    );
    assert.deepStrictEqual(summary(found), [['contract-method', 'error', '"PUT"']]);
    assert.match(
      found.contract[0].message,
      /Add users sends PUT, but "Klaviyo-like Lists API" has \/api\/lists\/\{id\}\/relationships\/profiles\/ only with POST, DELETE/,
    );
  });

  it('"contract-no-operation": a misspelt path names the closest operation', async () => {
    const found = await planted(
      '/api/lists/$list_id/relationships/profiles/",\n      "method": "DELETE"',
      '/api/lists/$list_id/relationship/profiles/",\n      "method": "DELETE"',
    );
    assert.deepStrictEqual(
      summary(found).map(([c, s]) => [c, s]),
      [['contract-no-operation', 'error']],
    );
    assert.strictEqual(summary(found)[0][2], '"https://a.klaviyo.com/api/lists/$list_id/relationship/profiles/"');
    assert.match(
      found.contract[0].message,
      /The closest is DELETE \/api\/lists\/\{id\}\/relationships\/profiles\/ \(remove_profiles_from_list\)/,
    );
  });

  it('"contract-parameter": the required revision header left out', async () => {
    const found = await planted('"revision": "2024-10-15",\n', '');
    assert.deepStrictEqual(summary(found), [['contract-parameter', 'error', '"headers"']]);
    assert.match(found.contract[0].message, /requires the header "revision"/);
  });

  it('"contract-body-unknown-key" and "contract-body-missing-key": "typ" for "type" in the item template', async () => {
    const text = CORRECT.replace(/"itemTemplate": \{ "type": "profile"/g, '"itemTemplate": { "typ": "profile"');
    const found = await contractOf(FILE, text);
    const codes = summary(found);
    assert.deepStrictEqual(codes, [
      ['contract-body-missing-key', 'error', '"itemTemplate"'],
      ['contract-body-unknown-key', 'error', '"typ"'],
      ['contract-body-missing-key', 'error', '"itemTemplate"'],
      ['contract-body-unknown-key', 'error', '"typ"'],
    ]);
    assert.match(
      found.contract[1].message,
      /sends "typ", a key POST \/api\/lists\/\{id\}\/relationships\/profiles\/ \(add_profiles_to_list\) does not allow/,
    );
    assert.match(found.contract[1].message, /Did you mean "type"\?/);
    assert.match(found.contract[0].message, /leaves out "type"/);
  });

  it('"contract-body-missing-key": list creation without the required attributes.name', async () => {
    const found = await planted(
      '"attributes": { "name": "$amp_cohort_name" }',
      '"attributes": { "title": "$amp_cohort_name" }',
    );
    assert.deepStrictEqual(summary(found), [['contract-body-missing-key', 'error', '"attributes"']]);
    assert.match(
      found.contract[0].message,
      /List creation leaves out "name", which POST \/api\/lists\/ \(create_list\) requires/,
    );
  });

  it('"contract-body-value": a type outside the enum ("profiles" for "profile")', async () => {
    const found = await planted('"itemTemplate": { "type": "profile"', '"itemTemplate": { "type": "profiles"');
    assert.deepStrictEqual(summary(found), [['contract-body-value', 'error', '"type"']]);
    assert.match(
      found.contract[0].message,
      /sends "profiles", which .* refuses: must be equal to one of the allowed values \("enum": \["profile"\]/,
    );
  });

  it('"contract-error-row": a documented 500 with no row in the error table (information)', async () => {
    const found = await planted(
      ',\n        { "status": 500, "failureReason": "Klaviyo error", "message": "Klaviyo had an internal error; Amplitude retries." }',
      '',
    );
    assert.deepStrictEqual(summary(found), [
      ['contract-error-row', 'information', '"errors"'],
      ['contract-error-row', 'information', '"copyErrorsFrom"'],
      ['contract-error-row', 'information', '"copyErrorsFrom"'],
    ]);
    assert.match(found.contract[0].message, /POST \/api\/lists\/ \(create_list\) documents 500 \(Server Error\)/);
  });
});
