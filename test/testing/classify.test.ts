import * as assert from 'assert';
import { classify, UNCLASSIFIED_MESSAGE } from '../../server/src/testing/classify';
import { readListId } from '../../server/src/testing/cohort/listId';
import { analyzeAs, readExample } from '../helpers/manifests';

describe('classification and list id', () => {
  const list = analyzeAs('list', readExample('list'));

  it('prefers the row whose sub error code the body contains', () => {
    assert.strictEqual(
      classify(list.model, 'listCreation', 400, '{"error_code": 1001, "detail": "x"}')?.failureReason,
      'Audience limit reached',
    );
    assert.strictEqual(
      classify(list.model, 'listCreation', 400, '{"error_code": 7}')?.failureReason,
      'Invalid request',
    );
  });

  it('follows copyErrorsFrom', () => {
    const c = classify(list.model, 'addUsers', 401, '{}');
    assert.ok(c);
    assert.deepStrictEqual(
      [c.kind, c.from, c.failureReason],
      ['classified', 'listCreation', 'Unauthorized (bad API token)'],
    );
  });

  it("falls back to Amplitude's unclassified message, verbatim", () => {
    const c = classify(list.model, 'removeUsers', 503, 'oops');
    assert.ok(c);
    assert.strictEqual(c.kind, 'unclassified');
    assert.strictEqual(c.message, UNCLASSIFIED_MESSAGE);
  });

  it('reads nested list ids and explains a miss', () => {
    assert.deepStrictEqual(readListId('{"audience": {"id": 42}}', 'audience.id'), { ok: true, listId: 42 });
    const miss = readListId('{"data": {"list": {}}}', 'data.list.id');
    assert.ok(!miss.ok && /"data.list" has no "id"/.test(miss.problem));
    const top = readListId('{"id": "x", "name": "y"}');
    assert.ok(!top.ok && /its keys: "id", "name"/.test(top.problem));
  });
});
