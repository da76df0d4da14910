import * as assert from 'assert';
import { analyzeAs, mutate, readExample, textAt } from '../helpers/manifests';

type Kind = Parameters<typeof readExample>[0];

/** Every finding on `text` (the planted mistake is the only one), as code, severity and the text under its range. */
function findings(kind: Kind, text: string) {
  return analyzeAs(kind, text).diagnostics.map((d) => ({
    code: d.code,
    severity: d.severity,
    text: textAt(text, d),
    message: d.message,
  }));
}

const codeOf = (kind: Kind, text: string, code: string) => findings(kind, text).filter((f) => f.code === code);

describe('items-unavailable', () => {
  it('is silent where $items belongs: the payload of add, remove and update calls', () => {
    assert.deepStrictEqual(codeOf('list', readExample('list'), 'items-unavailable'), []);
    assert.deepStrictEqual(codeOf('property', readExample('property'), 'items-unavailable'), []);
  });

  it('$items in the list creation payload, which sends no users', () => {
    const text = mutate(
      readExample('list'),
      '"external_ref": "$amp_cohort_id",',
      '"external_ref": "$amp_cohort_id",\n        "members": "$items",',
    );
    const found = findings('list', text);
    assert.deepStrictEqual(
      found.map((f) => [f.code, f.severity, f.text]),
      [['items-unavailable', 'error', '$items']],
    );
    assert.match(found[0].message, /\$items is the batch of users/);
    assert.match(found[0].message, /not in the list creation call, which sends no users/);
  });

  it('$items in a header, which goes with every call', () => {
    const text = mutate(
      readExample('property'),
      '"Content-Type": "application/json"',
      '"Content-Type": "application/json",\n    "X-Batch": "$items"',
    );
    const found = findings('property', text);
    assert.deepStrictEqual(
      found.map((f) => [f.code, f.severity, f.text]),
      [['items-unavailable', 'error', '$items']],
    );
    assert.match(found[0].message, /only in the payload of add, remove and update calls, not in a header/);
  });
});

describe('mapping-field-outside-items', () => {
  it('is silent on a mapping field used in the item template', () => {
    assert.deepStrictEqual(codeOf('list', readExample('list'), 'mapping-field-outside-items'), []);
    assert.deepStrictEqual(codeOf('property', readExample('property'), 'mapping-field-outside-items'), []);
  });

  it('a mapping field in the add call payload, outside the item template', () => {
    const text = mutate(
      readExample('list'),
      '"context": {',
      '"owner": "$user_id_field_amplitude",\n        "context": {',
    );
    const found = findings('list', text);
    assert.deepStrictEqual(
      found.map((f) => [f.code, f.severity, f.text]),
      [['mapping-field-outside-items', 'error', '$user_id_field_amplitude']],
    );
    assert.match(found[0].message, /is a mapping field: it holds one value per user/);
    assert.match(found[0].message, /used in the item template/);
  });

  it('a mapping field in the update URL of a property-based sync', () => {
    const text = mutate(
      readExample('property'),
      '/contacts/attributes"',
      '/contacts/$email_field_amplitude/attributes"',
    );
    assert.deepStrictEqual(
      findings('property', text).map((f) => [f.code, f.severity, f.text]),
      [['mapping-field-outside-items', 'error', '$email_field_amplitude']],
    );
  });
});
