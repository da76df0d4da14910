import * as assert from 'assert';
import { analyzeAs, mutate, readExample, textAt } from '../helpers/manifests';

describe('missing-items', () => {
  it('flags an add users payload without $items, on its "payload" key', () => {
    const text = mutate(readExample('list'), '"external_ids": "$items",\n', '"external_ids": [],\n');
    const found = analyzeAs('list', text).diagnostics.filter((d) => d.code === 'missing-items');
    assert.strictEqual(found.length, 1);
    assert.strictEqual(found[0].severity, 'error');
    assert.strictEqual(textAt(text, found[0]), '"payload"');
    assert.match(found[0].message, /addUsers/);
  });

  it('flags a property-based update without any payload, on the endpoint key', () => {
    const text = readExample('property').replace(/"payload": \{[\s\S]*?\n {6}\},\n/, '');
    const found = analyzeAs('property', text).diagnostics.filter((d) => d.code === 'missing-items');
    assert.deepStrictEqual(
      found.map((d) => textAt(text, d)),
      ['"update"'],
    );
  });

  it('does not count $items in the itemTemplate', () => {
    const text = mutate(
      mutate(readExample('list'), '"external_ids": "$items"\n', '"external_ids": []\n'),
      '"$user_id_field_amplitude",\n      "copyErrorsFrom": "listCreation"\n    }\n  }',
      '"$items",\n      "copyErrorsFrom": "listCreation"\n    }\n  }',
    );
    assert.ok(analyzeAs('list', text).diagnostics.some((d) => d.code === 'missing-items'));
  });
});
