import * as assert from 'assert';
import { analyzeAs, mutate, readExample, textAt } from '../helpers/manifests';

describe('list-id-unavailable', () => {
  it('flags $list_id in the list creation call', () => {
    const text = mutate(readExample('list'), '"source": "amplitude"', '"source": "$list_id"');
    const found = analyzeAs('list', text).diagnostics.filter((d) => d.code === 'list-id-unavailable');
    assert.deepStrictEqual(
      found.map((d) => [d.severity, textAt(text, d)]),
      [['error', '$list_id']],
    );
  });

  it('flags the $listId alias there too', () => {
    const text = mutate(readExample('list'), 'v2/audiences",', 'v2/audiences/$listId",');
    assert.deepStrictEqual(
      analyzeAs('list', text)
        .diagnostics.filter((d) => d.code === 'list-id-unavailable')
        .map((d) => textAt(text, d)),
      ['$listId'],
    );
  });

  it('flags $list_id in a property-based sync', () => {
    const text = mutate(readExample('property'), '"cohort_id": "$amp_cohort_id"', '"cohort_id": "$list_id"');
    assert.ok(analyzeAs('property', text).diagnostics.some((d) => d.code === 'list-id-unavailable'));
  });
});
