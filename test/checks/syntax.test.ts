import * as assert from 'assert';
import { analyzeAs, readExample } from '../helpers/manifests';

describe('syntax', () => {
  it('a truncated manifest gets syntax errors and keeps the checks that still apply', () => {
    const full = readExample('list');
    const text = full.slice(0, full.indexOf('"mappingFields"'));
    const analysis = analyzeAs('list', text);
    assert.ok(analysis.diagnostics.some((d) => d.code === 'syntax-error'));
    assert.strictEqual(analysis.model.kind, 'cohort-list');
  });

  it('portal-style bare $items is a syntax error, not a crash', () => {
    const text = readExample('list').replace('"external_ids": "$items",', '"external_ids": $items,');
    assert.ok(analyzeAs('list', text).diagnostics.some((d) => d.code === 'syntax-error'));
  });

  it('10,000-deep nesting is reported once, without overflowing the stack', () => {
    const text = '{"kind": "cohort-list", "x": ' + '['.repeat(10000) + ']'.repeat(10000) + '}';
    const analysis = analyzeAs('list', text);
    assert.deepStrictEqual(
      analysis.diagnostics.map((d) => d.code),
      ['too-deep'],
    );
  });

  it('an empty file says what a manifest is', () => {
    assert.match(analyzeAs('list', '').diagnostics[0].message, /empty/);
  });
});
