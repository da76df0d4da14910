import * as assert from 'assert';
import { analyzeAs, mutate, readExample, textAt } from '../helpers/manifests';

describe('declaration checks', () => {
  it('duplicate-declaration: a custom field named like an auth variable', () => {
    const text = mutate(readExample('list'), '"variable": "workspace_id"', '"variable": "bearer_token"');
    const found = analyzeAs('list', text).diagnostics.filter((d) => d.code === 'duplicate-declaration');
    assert.deepStrictEqual(
      found.map((d) => textAt(text, d)),
      ['bearer_token'],
    );
    assert.match(found[0].message, /bearer authentication/);
  });

  it('default-not-an-option', () => {
    const text = mutate(readExample('list'), '"default": "us"', '"default": "apac"');
    assert.deepStrictEqual(
      analyzeAs('list', text).diagnostics.map((d) => [d.code, textAt(text, d)]),
      [['default-not-an-option', '"apac"']],
    );
  });

  it('missing-options on a select without options', () => {
    const text = mutate(
      readExample('property'),
      '"options": ["amp_", "cohort_", "amplitude_"],\n      "default": "amp_"',
      '"default": "amp_"',
    );
    assert.deepStrictEqual(
      analyzeAs('property', text).diagnostics.map((d) => [d.code, textAt(text, d)]),
      [['missing-options', '"singleSelect"']],
    );
  });

  it('options-ignored: a String field with options shows a text input, never the options', () => {
    const text = mutate(
      readExample('list'),
      '"description": "Settings > Workspace in Pushwave."',
      '"description": "Settings > Workspace in Pushwave.",\n      "options": ["ws_live", "ws_test"]',
    );
    const found = analyzeAs('list', text).diagnostics;
    assert.deepStrictEqual(
      found.map((d) => [d.code, d.severity, textAt(text, d)]),
      [['options-ignored', 'warning', '"options"']],
    );
    assert.match(found[0].message, /String field shows a text input: its "options" are never shown/);
    assert.match(found[0].message, /Use "singleSelect" or remove them/);
  });

  it('options-ignored is silent on String fields without options, and on a select with the same options', () => {
    for (const kind of ['list', 'property'] as const) {
      assert.ok(!analyzeAs(kind, readExample(kind)).diagnostics.some((d) => d.code === 'options-ignored'), kind);
    }
    const select = mutate(
      readExample('list'),
      '"type": "string",\n      "description": "Settings > Workspace in Pushwave."',
      '"type": "singleSelect",\n      "description": "Settings > Workspace in Pushwave.",\n' +
        '      "options": ["ws_live", "ws_test"]',
    );
    assert.deepStrictEqual(analyzeAs('list', select).diagnostics, []);
  });
});
