import * as assert from 'assert';
import { analyzeAs, applyFix, mutate, readExample, textAt } from '../helpers/manifests';

describe('variable-dash', () => {
  const text = mutate(
    readExample('list'),
    '"X-Pushwave-Workspace": "$workspace_id"',
    '"X-Pushwave-Workspace": "$workspace-id"',
  );

  it('is an error on the whole $name-with-dash (nothing could be sent), without a second undeclared error', () => {
    const diagnostics = analyzeAs('list', text).diagnostics;
    const dash = diagnostics.filter((d) => d.code === 'variable-dash');
    assert.strictEqual(dash.length, 1);
    assert.strictEqual(dash[0].severity, 'error');
    assert.strictEqual(textAt(text, dash[0]), '$workspace-id');
    assert.ok(!diagnostics.some((d) => d.code === 'undeclared-variable'));
  });

  it('is fixed to the underscore spelling', () => {
    const diagnostic = analyzeAs('list', text).diagnostics.find((d) => d.code === 'variable-dash');
    const fix = diagnostic?.fixes?.[0];
    assert.ok(fix);
    const fixed = applyFix(text, fix.edits());
    assert.ok(fixed.includes('"$workspace_id"'));
    assert.deepStrictEqual(
      analyzeAs('list', fixed).diagnostics.map((d) => d.code),
      [],
    );
  });

  it('leaves "$region-specific" alone where $region is a real variable', () => {
    const ok = mutate(readExample('list'), '"source": "amplitude"', '"source": "$region-specific"');
    assert.ok(!analyzeAs('list', ok).diagnostics.some((d) => d.code === 'variable-dash'));
  });
});
