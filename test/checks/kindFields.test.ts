import * as assert from 'assert';
import { analyzeAs, applyFix, mutate, readExample, textAt } from '../helpers/manifests';

describe('field-not-for-kind', () => {
  it('flags a cohort field in a streaming manifest, with a fix that removes it', () => {
    const text = mutate(readExample('streaming'), '"parameters": [', '"slugifyCohortName": true,\n  "parameters": [');
    const found = analyzeAs('streaming', text).diagnostics;
    assert.deepStrictEqual(
      found.map((d) => [d.code, d.severity, textAt(text, d)]),
      [['field-not-for-kind', 'warning', '"slugifyCohortName"']],
    );
    assert.deepStrictEqual(analyzeAs('streaming', applyFix(text, found[0].fixes?.[0].edits() ?? [])).diagnostics, []);
  });

  it('flags an update endpoint in a list-based manifest', () => {
    const text = mutate(
      readExample('list'),
      '"endpoints": {',
      '"endpoints": {\n    "update": { "url": "https://x.example/u", "method": "POST", "payload": "$items", "copyErrorsFrom": "listCreation" },',
    );
    const found = analyzeAs('list', text).diagnostics.filter((d) => d.code === 'field-not-for-kind');
    assert.deepStrictEqual(
      found.map((d) => textAt(text, d)),
      ['"update"'],
    );
  });

  it('flags listIdPath outside list creation and batchSize in list creation', () => {
    const text = mutate(
      mutate(
        readExample('list'),
        '"listIdPath": "audience.id",',
        '"listIdPath": "audience.id",\n      "batchSize": 100,',
      ),
      '"batchSize": 10000,\n      "itemTemplate": "$user_id_field_amplitude",\n      "copyErrorsFrom": "listCreation"\n    },\n    "removeUsers"',
      '"batchSize": 10000,\n      "listIdPath": "id",\n      "itemTemplate": "$user_id_field_amplitude",\n      "copyErrorsFrom": "listCreation"\n    },\n    "removeUsers"',
    );
    const found = analyzeAs('list', text).diagnostics.filter((d) => d.code === 'field-not-for-kind');
    assert.deepStrictEqual(
      found.map((d) => textAt(text, d)),
      ['"batchSize"', '"listIdPath"'],
    );
  });
});
