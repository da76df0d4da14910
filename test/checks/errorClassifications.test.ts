import * as assert from 'assert';
import { analyzePartnerAs, readPartner } from '../helpers/corpus';
import { analyzeAs, applyFix, mutate, readExample, textAt } from '../helpers/manifests';

describe('error classification checks', () => {
  it('duplicate-error-classification: same status and same sub error code (key order ignored)', () => {
    const text = mutate(
      readExample('list'),
      '"status": 404,',
      '"status": 400, "subErrorCode": { "error_code": 1001 }, "failureReason": "Again", "message": "Again." },\n        { "status": 404,',
    );
    const found = analyzeAs('list', text).diagnostics.filter((d) => d.code === 'duplicate-error-classification');
    assert.strictEqual(found.length, 1);
    assert.strictEqual(textAt(text, found[0]), '400');
    assert.match(found[0].message, /errors\[2\]/);
  });

  it('a status without sub code and the same status with one are distinct', () => {
    assert.ok(
      !analyzeAs('list', readExample('list')).diagnostics.some((d) => d.code === 'duplicate-error-classification'),
    );
  });

  it('sub-error-code-not-object: a string holding JSON gets a fix that writes the object', () => {
    const text = mutate(
      readExample('list'),
      '"subErrorCode": { "error_code": 1001 }',
      '"subErrorCode": "{\\"error_code\\": 1001}"',
    );
    const found = analyzeAs('list', text).diagnostics.filter((d) => d.code === 'sub-error-code-not-object');
    assert.strictEqual(found.length, 1);
    const fixed = applyFix(text, found[0].fixes?.[0].edits() ?? []);
    assert.deepStrictEqual(analyzeAs('list', fixed).diagnostics, []);
  });

  it('sub-error-code-not-object: a number has no automatic fix', () => {
    const text = mutate(readExample('list'), '"subErrorCode": { "error_code": 1001 }', '"subErrorCode": 1001');
    const found = analyzeAs('list', text).diagnostics.filter((d) => d.code === 'sub-error-code-not-object');
    assert.strictEqual(found.length, 1);
    assert.strictEqual(found[0].fixes, undefined);
  });

  it('copy-errors-from-invalid: naming an endpoint without errors of its own', () => {
    const text = mutate(
      readExample('list'),
      '"batchSize": 10000,\n      "itemTemplate": "$user_id_field_amplitude",\n      "copyErrorsFrom": "listCreation"\n    },\n    "removeUsers"',
      '"batchSize": 10000,\n      "itemTemplate": "$user_id_field_amplitude",\n      "copyErrorsFrom": "removeUsers"\n    },\n    "removeUsers"',
    );
    const found = analyzeAs('list', text).diagnostics.filter((d) => d.code === 'copy-errors-from-invalid');
    assert.deepStrictEqual(
      found.map((d) => textAt(text, d)),
      ['"removeUsers"'],
    );
  });

  it('no-error-classifications: information, fixed by adding 200/400/401/404/429', () => {
    const text = readExample('property').replace(/,\n {6}"errors": \[[\s\S]*?\n {6}\]/, '');
    const found = analyzeAs('property', text).diagnostics.filter((d) => d.code === 'no-error-classifications');
    assert.deepStrictEqual(
      found.map((d) => [d.severity, textAt(text, d)]),
      [['information', '"update"']],
    );
    const fixed = applyFix(text, found[0].fixes?.[0].edits() ?? []);
    const after = analyzeAs('property', fixed);
    assert.deepStrictEqual(after.diagnostics, []);
    assert.deepStrictEqual(
      after.model.endpoints[0].errors.map((e) => e.status),
      [200, 400, 401, 404, 429],
    );
  });

  describe('no-status-fallback (Brevo: a 404 row for document_not_found, and a plain 404 row after it)', () => {
    const brevo = readPartner('brevo-lists');
    const fallbackRow =
      '        { "status": 404, "failureReason": "Not found", "message": "Brevo could not find what the request named." },\n';

    it('is silent while the 404 without a sub error code is there', () => {
      assert.deepStrictEqual(analyzePartnerAs('brevo-lists', brevo).diagnostics, []);
    });

    it('every 404 row has a sub error code: information on its status, fixed by adding a fallback row', () => {
      const text = mutate(brevo, fallbackRow, '');
      const found = analyzePartnerAs('brevo-lists', text).diagnostics;
      assert.deepStrictEqual(
        found.map((d) => [d.code, d.severity, textAt(text, d)]),
        [['no-status-fallback', 'information', '404']],
      );
      assert.strictEqual(text.slice(found[0].start - '"status": '.length, found[0].end), '"status": 404');
      assert.ok(text.slice(found[0].end).startsWith(',\n          "subErrorCode": { "code": "document_not_found" }'));
      assert.match(found[0].message, /Every 404 row of listCreation has a sub error code/);
      assert.match(found[0].message, /Add a 404 row without a sub error code as the fallback/);
      const fixed = applyFix(text, found[0].fixes?.[0].edits() ?? []);
      assert.deepStrictEqual(analyzePartnerAs('brevo-lists', fixed).diagnostics, []);
    });

    it('a 2xx with only sub-coded rows is a success, not unclassified', () => {
      const text = mutate(
        mutate(brevo, fallbackRow, ''),
        '{ "status": 201, "failureReason": "Created", "message": "The list was created." }',
        '{ "status": 201, "subErrorCode": { "id": 5 }, "failureReason": "Created", "message": "The list was created." }',
      );
      const found = analyzePartnerAs('brevo-lists', text).diagnostics.filter((d) => d.code === 'no-status-fallback');
      assert.deepStrictEqual(
        found.map((d) => textAt(text, d)),
        ['404'],
      );
    });
  });
});
