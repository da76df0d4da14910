import * as assert from 'assert';
import { analyzeAs, mutate, readExample, textAt } from '../helpers/manifests';

describe('cohorts-overwrite', () => {
  const withoutCohort = () =>
    mutate(
      mutate(readExample('property'), '"attribute": "$attribute_prefix$amp_cohort_name",', '"attribute": "in_cohort",'),
      '"cohort_id": "$amp_cohort_id",\n',
      '',
    );

  it('warns on the update key when the update call names no cohort', () => {
    const text = withoutCohort();
    const found = analyzeAs('property', text).diagnostics.filter((d) => d.code === 'cohorts-overwrite');
    assert.deepStrictEqual(
      found.map((d) => [d.severity, textAt(text, d)]),
      [['warning', '"update"']],
    );
    assert.match(found[0].message, /separate update for each cohort/);
  });

  it('is quiet when the cohort is in the property name, the item template or the URL', () => {
    const inName = mutate(readExample('property'), '"cohort_id": "$amp_cohort_id",\n', '');
    const inItem = mutate(
      withoutCohort(),
      '"itemTemplate": { "email": "$email_field_amplitude" }',
      '"itemTemplate": { "email": "$email_field_amplitude", "cohort": "$amp_cohort_id" }',
    );
    const inUrl = mutate(withoutCohort(), '/contacts/attributes"', '/cohorts/$amp_cohort_id/contacts"');
    for (const text of [readExample('property'), inName, inItem, inUrl]) {
      assert.deepStrictEqual(
        analyzeAs('property', text).diagnostics.filter((d) => d.code === 'cohorts-overwrite'),
        [],
      );
    }
  });

  it('a custom field is the same for every cohort of a destination: it tells none apart', () => {
    const text = mutate(withoutCohort(), '"attribute": "in_cohort",', '"attribute": "$attribute_prefix",');
    assert.strictEqual(analyzeAs('property', text).diagnostics.filter((d) => d.code === 'cohorts-overwrite').length, 1);
  });
});
