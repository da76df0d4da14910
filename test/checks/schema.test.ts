import * as assert from 'assert';
import Ajv from 'ajv';
import { removeAt } from '../../server/src/base/jsonEdits';
import { MANIFEST_SCHEMA } from '../../server/src/manifest/schema';
import { analyzeAs, applyFix, mutate, readExample, textAt } from '../helpers/manifests';

describe('schema checks', () => {
  it('the manifest schema is itself valid JSON Schema (the server skips that check at start, for speed)', () => {
    const ajv = new Ajv({ strict: false, allowUnionTypes: true });
    ajv.addVocabulary(['markdownDescription', 'markdownEnumDescriptions', 'defaultSnippets', 'deprecationMessage']);
    assert.ok(ajv.validateSchema(MANIFEST_SCHEMA), ajv.errorsText(ajv.errors));
    const broken = { ...MANIFEST_SCHEMA, properties: { displayName: { type: 'text' } } };
    assert.strictEqual(ajv.validateSchema(broken), false, 'a broken schema is caught');
  });

  it('unknown-property: on the key, with a rename fix for a misspelling', () => {
    const text = mutate(readExample('list'), '"displayName": "Pushwave"', '"displayNme": "Pushwave"');
    const found = analyzeAs('list', text).diagnostics;
    assert.deepStrictEqual(
      found.map((d) => [d.code, textAt(text, d)]),
      [
        ['missing-property', '"connection"'],
        ['unknown-property', '"displayNme"'],
      ],
    );
    assert.match(found[1].message, /Did you mean "displayName"/);
    assert.deepStrictEqual(analyzeAs('list', applyFix(text, found[1].fixes?.[0].edits() ?? [])).diagnostics, []);
  });

  it('missing-property: on the parent key; only once per property (no branch noise)', () => {
    const text = mutate(readExample('property'), '"method": "PATCH",', '');
    const found = analyzeAs('property', text).diagnostics;
    assert.deepStrictEqual(
      found.map((d) => [d.code, textAt(text, d)]),
      [['missing-property', '"update"']],
    );
  });

  it('a required endpoint of the kind is missing', () => {
    const text = applyFix(readExample('list'), removeAt(readExample('list'), ['endpoints', 'removeUsers']));
    const found = analyzeAs('list', text).diagnostics;
    assert.deepStrictEqual(
      found.map((d) => [d.code, textAt(text, d)]),
      [['missing-property', '"endpoints"']],
    );
    assert.match(found[0].message, /removeUsers/);
  });

  it('invalid-value for an enum, out-of-range for a batch size', () => {
    const text = mutate(
      mutate(readExample('property'), '"method": "PATCH"', '"method": "FETCH"'),
      '"batchSize": 5000',
      '"batchSize": 20000',
    );
    const found = analyzeAs('property', text).diagnostics;
    assert.deepStrictEqual(
      found.map((d) => [d.code, textAt(text, d)]),
      [
        ['invalid-value', '"FETCH"'],
        ['out-of-range', '20000'],
      ],
    );
    assert.match(found[1].message, /between 1 and 10,000/);
  });

  it('wrong-type on the value', () => {
    const text = mutate(readExample('list'), '"slugifyCohortName": true', '"slugifyCohortName": "yes"');
    const found = analyzeAs('list', text).diagnostics;
    assert.deepStrictEqual(
      found.map((d) => [d.code, textAt(text, d)]),
      [['wrong-type', '"yes"']],
    );
  });

  it('an option of the wrong shape gives one error, not one per oneOf branch', () => {
    const text = mutate(
      readExample('property'),
      '"options": ["amp_", "cohort_", "amplitude_"]',
      '"options": ["amp_", 7, "amplitude_"]',
    );
    const found = analyzeAs('property', text).diagnostics;
    assert.deepStrictEqual(
      found.map((d) => [d.code, textAt(text, d)]),
      [['wrong-type', '7']],
    );
  });
});
