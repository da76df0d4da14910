import * as assert from 'assert';
import { analyzeAs, mutate, readExample, textAt } from '../helpers/manifests';

describe('membership-unused / membership-unavailable', () => {
  it('warns on the update key when a property-based update never uses $amp_cohort_membership', () => {
    const text = mutate(readExample('property'), '"value": "$amp_cohort_membership",\n', '');
    const found = analyzeAs('property', text).diagnostics.filter((d) => d.code === 'membership-unused');
    assert.deepStrictEqual(
      found.map((d) => [d.severity, textAt(text, d)]),
      [['warning', '"update"']],
    );
  });

  it('counts a use in the item template', () => {
    const text = mutate(
      mutate(readExample('property'), '"value": "$amp_cohort_membership",\n', ''),
      '"itemTemplate": { "email": "$email_field_amplitude" }',
      '"itemTemplate": { "email": "$email_field_amplitude", "member": "$amp_cohort_membership" }',
    );
    assert.deepStrictEqual(
      analyzeAs('property', text).diagnostics.filter((d) => d.code.startsWith('membership')),
      [],
    );
  });

  it('flags $amp_cohort_membership in a list-based manifest, on the variable', () => {
    const text = mutate(readExample('list'), '"source": "amplitude"', '"source": "$amp_cohort_membership"');
    const found = analyzeAs('list', text).diagnostics.filter((d) => d.code === 'membership-unavailable');
    assert.deepStrictEqual(
      found.map((d) => [d.severity, textAt(text, d)]),
      [['error', '$amp_cohort_membership']],
    );
  });
});
