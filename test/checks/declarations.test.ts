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
});
