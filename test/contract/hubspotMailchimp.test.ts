import * as assert from 'assert';
import { contractOf, fixture, plant, readFixture, summary } from './helpers';

/**
 * Two more partners, each against a description modelled on its published one: HubSpot's Lists v3 (OpenAPI 3.0,
 * JSON, Bearer) and Mailchimp's Marketing API (Swagger 2.0, Basic). Correct manifests are quiet; each planted
 * mistake of the kinds partners make is caught with its code, on its key.
 */
const HUBSPOT = fixture('hubspot', 'hubspot-lists.amplitude.json');
const HUBSPOT_TEXT = readFixture('hubspot', 'hubspot-lists.amplitude.json');
const MAILCHIMP = fixture('mailchimp', 'mailchimp-segments.amplitude.json');
const MAILCHIMP_TEXT = readFixture('mailchimp', 'mailchimp-segments.amplitude.json');

describe('contract checks: HubSpot-like lists (OpenAPI 3.0)', () => {
  it('the correct manifest: no finding', async () => {
    const found = await contractOf(HUBSPOT);
    assert.deepStrictEqual(found.manifest, []);
    assert.deepStrictEqual(found.contract, []);
  });

  it('"contract-method": POST where the API has only PUT for adding records', async () => {
    const text = plant(
      HUBSPOT_TEXT,
      'memberships/add",\n      "method": "PUT"',
      'memberships/add",\n      "method": "POST"',
    );
    const found = await contractOf(HUBSPOT, text);
    assert.deepStrictEqual(summary(found), [['contract-method', 'error', '"POST"']]);
    assert.match(found.contract[0].message, /has \/crm\/v3\/lists\/\{listId\}\/memberships\/add only with PUT/);
  });

  it('"contract-list-id-path": listId where the answer is {"list": {"listId": ...}}', async () => {
    const found = await contractOf(
      HUBSPOT,
      plant(HUBSPOT_TEXT, '"listIdPath": "list.listId"', '"listIdPath": "listId"'),
    );
    assert.deepStrictEqual(summary(found), [['contract-list-id-path', 'error', '"listId"']]);
    assert.match(found.contract[0].message, /is not in the 200 answer .* at \(the top level\) it has "list"/);
  });

  it('"contract-body-value": processingType "manual" where the enum is upper case', async () => {
    const found = await contractOf(
      HUBSPOT,
      plant(HUBSPOT_TEXT, '"processingType": "MANUAL"', '"processingType": "manual"'),
    );
    assert.deepStrictEqual(summary(found), [['contract-body-value', 'error', '"processingType"']]);
    assert.match(
      found.contract[0].message,
      /sends "manual", which .* refuses: .*\("enum": \["MANUAL","DYNAMIC","SNAPSHOT"\]/,
    );
  });

  it('"contract-body-type": an object where the API wants the array of record ids', async () => {
    const text = plant(
      HUBSPOT_TEXT,
      'memberships/add",\n      "method": "PUT",\n      "payload": "$items"',
      'memberships/add",\n      "method": "PUT",\n      "payload": { "recordIds": "$items" }',
    );
    const found = await contractOf(HUBSPOT, text);
    assert.deepStrictEqual(summary(found), [['contract-body-type', 'error', '"payload"']]);
    assert.match(found.contract[0].message, /a JSON object, where PUT .* wants "array"/);
  });

  it('"contract-body-misspelt-key": a key the API would ignore, a letter from one it lists (a warning)', async () => {
    const text = plant(
      HUBSPOT_TEXT,
      '"processingType": "MANUAL"',
      '"processingType": "MANUAL",\n        "listFoldrId": 12',
    );
    const found = await contractOf(HUBSPOT, text);
    assert.deepStrictEqual(summary(found), [['contract-body-misspelt-key', 'warning', '"listFoldrId"']]);
    assert.match(
      found.contract[0].message,
      /sends "listFoldrId", which POST \/crm\/v3\/lists\/ .* does not list, and not "listFolderId"/,
    );
    // A key far from every listed one is not a misspelling: nothing is said.
    const other = await contractOf(
      HUBSPOT,
      plant(HUBSPOT_TEXT, '"processingType": "MANUAL"', '"processingType": "MANUAL",\n        "customProperty": 12'),
    );
    assert.deepStrictEqual(other.contract, []);
  });

  it('"contract-auth": the token sent bare in Authorization where the scheme is HTTP bearer', async () => {
    let text = plant(
      HUBSPOT_TEXT,
      '"method": "bearer",\n    "bearerTokenDisplayName"',
      '"method": "header",\n    "apiKeyDisplayName"',
    );
    text = plant(
      text,
      '"Content-Type": "application/json"',
      '"Content-Type": "application/json",\n    "Authorization": "$api_key"',
    );
    const found = await contractOf(HUBSPOT, text);
    assert.deepStrictEqual(found.manifest, []);
    assert.deepStrictEqual(summary(found), [['contract-auth', 'error', '"$api_key"']]);
    assert.match(found.contract[0].message, /the token without "Bearer " before it: the scheme is HTTP bearer/);
  });
});

describe('contract checks: Mailchimp-like segments (Swagger 2.0)', () => {
  it('the correct manifest: no finding (the integer segment id typed into $list_id)', async () => {
    const found = await contractOf(MAILCHIMP);
    assert.deepStrictEqual(found.manifest, []);
    assert.deepStrictEqual(found.contract, []);
  });

  it('"contract-batch-size": 10,000 members where the API takes 500', async () => {
    const text = MAILCHIMP_TEXT.replace(/"batchSize": 500/g, '"batchSize": 10000');
    const found = await contractOf(MAILCHIMP, text);
    assert.deepStrictEqual(summary(found), [
      ['contract-batch-size', 'error', '10000'],
      ['contract-batch-size', 'error', '10000'],
    ]);
    assert.match(found.contract[0].message, /takes at most 500 in \/members_to_add/);
    assert.match(found.contract[1].message, /takes at most 500 in \/members_to_remove/);
  });

  it('"contract-batch-size" with the item template in the portal editor\'s text (itemTemplateText)', async () => {
    const text = MAILCHIMP_TEXT.replace(/"itemTemplate": "\$email"/g, '"itemTemplateText": "\\"$email\\""').replace(
      /"batchSize": 500/g,
      '"batchSize": 10000',
    );
    const found = await contractOf(MAILCHIMP, text);
    assert.deepStrictEqual(found.manifest, []);
    assert.deepStrictEqual(summary(found), [
      ['contract-batch-size', 'error', '10000'],
      ['contract-batch-size', 'error', '10000'],
    ]);
  });

  it('"contract-body-type": a string where the API wants an array (static_segment)', async () => {
    const found = await contractOf(MAILCHIMP, plant(MAILCHIMP_TEXT, '"static_segment": []', '"static_segment": ""'));
    assert.deepStrictEqual(summary(found), [['contract-body-type', 'error', '"static_segment"']]);
  });

  it('"contract-body-unknown-key": a misspelt key the schema forbids', async () => {
    const found = await contractOf(
      MAILCHIMP,
      plant(MAILCHIMP_TEXT, '"members_to_remove": "$items"', '"members_to_delete": "$items"'),
    );
    assert.deepStrictEqual(summary(found), [['contract-body-unknown-key', 'error', '"members_to_delete"']]);
    assert.match(found.contract[0].message, /Did you mean "members_to_remove"\?/);
  });

  it('"contract-auth": a Bearer token where the API takes Basic', async () => {
    const text = plant(
      MAILCHIMP_TEXT,
      '"method": "basic",\n    "apiKeyDisplayName": "Any user name",\n    "apiSecretDisplayName": "Mailchimp API Key"',
      '"method": "bearer",\n    "bearerTokenDisplayName": "Mailchimp API Key"',
    );
    const found = await contractOf(MAILCHIMP, text);
    assert.deepStrictEqual(summary(found), [['contract-auth', 'error', '"bearer"']]);
    assert.match(
      found.contract[0].message,
      /sends a Bearer token .* but POST \/lists\/\{list_id\}\/segments .* takes HTTP basic/,
    );
  });

  it('"contract-error-row": the documented 404 of the member batch has no row (information)', async () => {
    const text = plant(
      MAILCHIMP_TEXT,
      ',\n        { "status": 404, "failureReason": "No such audience", "message": "No Mailchimp audience has this Audience ID." }',
      '',
    );
    const found = await contractOf(MAILCHIMP, text);
    assert.deepStrictEqual(summary(found), [
      ['contract-error-row', 'information', '"copyErrorsFrom"'],
      ['contract-error-row', 'information', '"copyErrorsFrom"'],
    ]);
    assert.match(found.contract[0].message, /documents 404 \(Resource Not Found\)/);
  });
});
