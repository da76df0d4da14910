import * as assert from 'assert';
import { classify } from '../../server/src/testing/classify';
import { analyzeAs, applyFix, mutate, readExample, textAt } from '../helpers/manifests';

/** The list example with addUsers given its own rows besides its copyErrorsFrom. */
const OWN_ROWS =
  '"errors": [{ "status": 400, "failureReason": "Member rejected", "message": "An id was refused." }],\n      ';
const both = mutate(
  readExample('list'),
  '"itemTemplate": "$user_id_field_amplitude",\n      "copyErrorsFrom": "listCreation"\n    },\n    "removeUsers"',
  `"itemTemplate": "$user_id_field_amplitude",\n      ${OWN_ROWS}"copyErrorsFrom": "listCreation"\n    },\n` +
    '    "removeUsers"',
);

describe('errors-and-copy-errors-from: an endpoint with its own errors and a copy', () => {
  it('is a warning on copyErrorsFrom that says the two conflict and which one is used here', () => {
    const found = analyzeAs('list', both).diagnostics.filter((d) => d.code === 'errors-and-copy-errors-from');
    assert.deepStrictEqual(
      found.map((d) => [d.severity, textAt(both, d)]),
      [['warning', '"listCreation"']],
    );
    assert.match(found[0].message, /addUsers endpoint has 1 error classification of its own and copies/);
    assert.match(found[0].message, /conflict/);
    assert.match(found[0].message, /ignore this endpoint's own rows/);
  });

  it('tells the truth: its own rows are not what a 400 is classified by', () => {
    const model = analyzeAs('list', both).model;
    const answer = classify(model, 'addUsers', 400, '{}');
    assert.equal(answer?.kind, 'classified');
    assert.notEqual(answer?.kind === 'classified' && answer.failureReason, 'Member rejected');
  });

  it('either fix leaves one source and no diagnostic', () => {
    const [found] = analyzeAs('list', both).diagnostics.filter((d) => d.code === 'errors-and-copy-errors-from');
    for (const fix of found.fixes ?? []) {
      const fixed = applyFix(both, fix.edits());
      assert.deepStrictEqual(analyzeAs('list', fixed).diagnostics, [], fix.title);
    }
    assert.equal(found.fixes?.length, 2);
  });

  it('the examples (copy only, or rows only) have none', () => {
    for (const kind of ['list', 'property'] as const)
      assert.ok(!analyzeAs(kind, readExample(kind)).diagnostics.some((d) => d.code === 'errors-and-copy-errors-from'));
  });
});
