import * as assert from 'assert';
import { analyzeAs, applyFix, mutate, readExample, textAt } from '../helpers/manifests';

describe('predefined-alias', () => {
  for (const alias of ['listId', 'list_Id']) {
    it(`$${alias} is information with a fix to $list_id`, () => {
      const text = mutate(readExample('list'), 'audiences/$list_id/members"', `audiences/$${alias}/members"`);
      const found = analyzeAs('list', text).diagnostics;
      assert.deepStrictEqual(
        found.map((d) => [d.code, d.severity, textAt(text, d)]),
        [['predefined-alias', 'information', `$${alias}`]],
      );
      const fixed = applyFix(text, found[0].fixes?.[0].edits() ?? []);
      assert.deepStrictEqual(analyzeAs('list', fixed).diagnostics, []);
    });
  }

  it('$amplitude_cohort_name counts as the cohort name for slugify', () => {
    const text = mutate(readExample('list'), '"name": "$amp_cohort_name"', '"name": "$amplitude_cohort_name"');
    assert.deepStrictEqual(
      analyzeAs('list', text).diagnostics.map((d) => d.code),
      ['predefined-alias'],
    );
  });
});
