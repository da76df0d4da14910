import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyzeManifest } from '../../server/src/analysis';
import { nodeFiles } from '../../server/src/base/files';
import { loadApiDescription, type ApiDescription } from '../../server/src/contract/description';
import { completePayloadKeys, hoverPayloadKey } from '../../server/src/language/payloadKeys';
import { CONTRACT_FIXTURES } from '../contract/helpers';

/**
 * Payload keys from the partner's API description, in process: the corpus's Klaviyo (OpenAPI 3.0), Iterable
 * (Swagger 2.0) and Mailchimp (OpenAPI 3.1) descriptions, modelled on their published documents.
 */

async function described(partner: string, file: string): Promise<ApiDescription> {
  const load = await loadApiDescription(path.join(CONTRACT_FIXTURES, partner, file), CONTRACT_FIXTURES);
  assert.ok(load.description, JSON.stringify(load.problems));
  return load.description;
}

function analyzed(partner: string, text: string) {
  const dir = path.join(CONTRACT_FIXTURES, partner);
  return analyzeManifest(text, { baseDir: dir, rootDir: CONTRACT_FIXTURES, files: nodeFiles });
}

/** The partner's manifest as it is. */
function asIs(partner: string, manifest: string) {
  const text = fs.readFileSync(path.join(CONTRACT_FIXTURES, partner, manifest), 'utf8');
  return { analysis: analyzed(partner, text), text };
}

/** The partner's manifest with `from` replaced by `to`; a `|` in `to` marks the cursor. */
function at(partner: string, manifest: string, from: string, to: string) {
  const original = fs.readFileSync(path.join(CONTRACT_FIXTURES, partner, manifest), 'utf8');
  assert.ok(original.includes(from), `${manifest} holds ${from}`);
  const marked = original.replace(from, to);
  const offset = marked.indexOf('|');
  const text = offset < 0 ? marked : marked.slice(0, offset) + marked.slice(offset + 1);
  return { analysis: analyzed(partner, text), offset, text };
}

describe('payload keys from the API description (completion and hover)', () => {
  let klaviyo: ApiDescription;
  let iterable: ApiDescription;
  let mailchimp: ApiDescription;

  before(async () => {
    klaviyo = await described('klaviyo-lists', 'klaviyo-lists.openapi.json');
    iterable = await described('iterable-lists', 'iterable-lists.swagger.json');
    mailchimp = await described('mailchimp-segments', 'mailchimp-segments.openapi.json');
  });

  it('completes the keys of a nested payload object, required first, with type and description', () => {
    const { analysis, offset } = at(
      'klaviyo-lists',
      'klaviyo-lists.amplitude.json',
      '"attributes": { "name": "$amp_cohort_name" }',
      '"attributes": { | }',
    );
    const items = completePayloadKeys(analysis, offset, klaviyo);
    assert.deepStrictEqual(
      items.map((i) => [i.label, i.detail, i.newText]),
      [['name', 'string (required)', '"name": ""']],
    );
    assert.match(items[0].documentation, /A helpful name to label the list/);
    assert.match(items[0].documentation, /From the request schema of POST \/api\/lists \(create_list\)/);
  });

  it('leaves out the keys already written and replaces the key being typed (Swagger 2.0 body)', () => {
    const { analysis, offset, text } = at(
      'iterable-lists',
      'iterable-lists.amplitude.json',
      '"subscribers": "$items", "updateExistingUsersOnly": false',
      '"subscribers": "$items", "upd|"',
    );
    const items = completePayloadKeys(analysis, offset, iterable);
    assert.deepStrictEqual(
      items.map((i) => i.label),
      ['updateExistingUsersOnly'],
    );
    const [item] = items;
    assert.strictEqual(text.slice(item.range.start, item.range.end), '"upd"');
    assert.strictEqual(item.newText, '"updateExistingUsersOnly": false');
    assert.strictEqual(item.detail, 'boolean');
  });

  it("completes the item template's keys from the items of the array $items fills", () => {
    const { analysis, offset } = at(
      'iterable-lists',
      'iterable-lists.amplitude.json',
      '"itemTemplate": { "email": "$email_field_amplitude" }',
      '"itemTemplate": { "email": "$email_field_amplitude", | }',
    );
    const labels = completePayloadKeys(analysis, offset, iterable).map((i) => i.label);
    assert.deepStrictEqual(labels, ['userId']);
  });

  it('hovers a payload key with its type, its limit and the operation (OpenAPI 3.1)', () => {
    const { analysis, text } = asIs('mailchimp-segments', 'mailchimp-segments.amplitude.json');
    const offset = text.indexOf('"members_to_add": "$items"') + 3;
    const hover = hoverPayloadKey(analysis, offset, mailchimp);
    assert.ok(hover);
    assert.strictEqual(text.slice(hover.span.start, hover.span.end), '"members_to_add"');
    assert.match(hover.markdown, /\*\*members_to_add\*\*: `array of string`/);
    assert.match(hover.markdown, /A maximum of 500 members can be sent/);
    assert.match(hover.markdown, /At most 500 items/);
    assert.match(hover.markdown, /POST \/lists\/\{list_id\}\/segments\/\{segment_id\} \(postListsIdSegmentsId\)/);
  });

  it('says nothing where the endpoint matches no operation or the key is not in the schema', () => {
    const { analysis, text } = asIs('mailchimp-segments', 'mailchimp-segments.amplitude.json');
    assert.ok(hoverPayloadKey(analysis, text.indexOf('"members_to_add": "$items"') + 3, mailchimp), 'the control');
    const moved = at(
      'mailchimp-segments',
      'mailchimp-segments.amplitude.json',
      'segments/$list_id",\n      "method": "POST",\n      "payload": { "members_to_add"',
      'segment/$list_id",\n      "method": "POST",\n      "payload": { "members_to_add"',
    );
    assert.strictEqual(
      hoverPayloadKey(moved.analysis, moved.text.indexOf('"members_to_add": "$items"') + 3, mailchimp),
      undefined,
    );
    const misspelt = at(
      'mailchimp-segments',
      'mailchimp-segments.amplitude.json',
      '"members_to_add": "$items"',
      '"members_to_ad": "$items"',
    );
    assert.strictEqual(
      hoverPayloadKey(misspelt.analysis, misspelt.text.indexOf('"members_to_ad": "$items"') + 3, mailchimp),
      undefined,
    );
  });
});
