import * as assert from 'assert';
import { analyzeAs, applyFix, mutate, readExample, textAt } from '../helpers/manifests';

describe('unused-variable', () => {
  const text = mutate(
    readExample('list'),
    '"X-Pushwave-Workspace": "$workspace_id"',
    '"X-Pushwave-Workspace": "fixed"',
  );

  it('is a warning tagged unnecessary, on the declared name', () => {
    const found = analyzeAs('list', text).diagnostics.filter((d) => d.code === 'unused-variable');
    assert.strictEqual(found.length, 1);
    assert.strictEqual(found[0].severity, 'warning');
    assert.strictEqual(found[0].unnecessary, true);
    assert.strictEqual(textAt(text, found[0]), 'workspace_id');
  });

  it('is fixed by removing the declaration, leaving valid JSON', () => {
    const diagnostic = analyzeAs('list', text).diagnostics.find((d) => d.code === 'unused-variable');
    const fix = diagnostic?.fixes?.[0];
    assert.ok(fix);
    const fixed = applyFix(text, fix.edits());
    const after = analyzeAs('list', fixed);
    assert.deepStrictEqual(
      after.diagnostics.map((d) => d.code),
      [],
    );
    assert.ok(!after.model.declarations.some((d) => d.name === 'workspace_id'));
  });

  it('does not flag bearer or basic auth variables (Amplitude sends them itself)', () => {
    assert.ok(!analyzeAs('property', readExample('property')).diagnostics.some((d) => d.code === 'unused-variable'));
  });

  it('flags $api_key of the Authentication Header method when no header uses it', () => {
    const header = mutate(readExample('list'), '"method": "bearer"', '"method": "header"');
    const found = analyzeAs('list', header).diagnostics.filter((d) => d.code === 'unused-variable');
    assert.deepStrictEqual(
      found.map((d) => textAt(header, d)),
      ['header'],
    );
    assert.match(found[0].message, /\$api_key/);
  });

  it('counts streaming parameters used only in the body template as used', () => {
    assert.ok(!analyzeAs('streaming', readExample('streaming')).diagnostics.some((d) => d.code === 'unused-variable'));
    const extra = mutate(
      readExample('streaming'),
      '{ "name": "app_id", "displayName": "Beacon App ID" }',
      '{ "name": "app_id", "displayName": "Beacon App ID" },\n    { "name": "tenant", "displayName": "Tenant" }',
    );
    const found = analyzeAs('streaming', extra).diagnostics.filter((d) => d.code === 'unused-variable');
    assert.deepStrictEqual(
      found.map((d) => textAt(extra, d)),
      ['tenant'],
    );
  });
});
