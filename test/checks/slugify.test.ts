import * as assert from 'assert';
import { slugify } from '../../server/src/manifest/variables';
import { analyzeAs, mutate, readExample } from '../helpers/manifests';

describe('slugify', () => {
  it('follows the documented example', () => {
    assert.strictEqual(slugify("Saturday's cohort & héllo"), 'Saturday-s-cohort-he-llo');
    assert.strictEqual(slugify('x'.repeat(150)).length, 100);
  });

  it('slugify-without-cohort-name when no endpoint uses the cohort name', () => {
    const text = mutate(readExample('list'), '"name": "$amp_cohort_name"', '"name": "cohort"');
    assert.deepStrictEqual(
      analyzeAs('list', text).diagnostics.map((d) => [d.code, d.severity]),
      [['slugify-without-cohort-name', 'information']],
    );
  });
});
