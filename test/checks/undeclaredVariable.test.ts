import * as assert from 'assert';
import { analyzeAs, applyFix, mutate, readExample, textAt } from '../helpers/manifests';

describe('undeclared-variable', () => {
  const text = mutate(readExample('list'), '/members",', '/members?source=$campaign_tag",');

  it('reports the $name itself, as an error', () => {
    const found = analyzeAs('list', text).diagnostics.filter((d) => d.code === 'undeclared-variable');
    assert.strictEqual(found.length, 1);
    assert.strictEqual(found[0].severity, 'error');
    assert.strictEqual(textAt(text, found[0]), '$campaign_tag');
  });

  it('is fixed by declaring a custom field, which is then used', () => {
    const diagnostic = analyzeAs('list', text).diagnostics.find((d) => d.code === 'undeclared-variable');
    const fix = diagnostic?.fixes?.[0];
    assert.ok(fix, 'has a fix');
    const fixed = applyFix(text, fix.edits());
    const after = analyzeAs('list', fixed);
    assert.deepStrictEqual(
      after.diagnostics.map((d) => d.code),
      [],
    );
    assert.ok(after.model.declarations.some((d) => d.source === 'customField' && d.name === 'campaign_tag'));
  });

  it('creates customFields when the manifest has none', () => {
    const base = readExample('property');
    const withoutFields = base
      .replace(/"customFields": \[[\s\S]*?\n {2}\],\n/, '')
      .replace('$account_subdomain', 'acme')
      .replace('$attribute_prefix', 'amp_')
      .replace('"$amp_cohort_id"', '"$segment"');
    const diagnostic = analyzeAs('property', withoutFields).diagnostics.find((d) => d.code === 'undeclared-variable');
    const fix = diagnostic?.fixes?.[0];
    assert.ok(fix);
    const fixed = applyFix(withoutFields, fix.edits());
    assert.deepStrictEqual(
      analyzeAs('property', fixed).diagnostics.map((d) => d.code),
      [],
    );
  });

  it('accepts pre-defined names and their aliases, and auth-derived names', () => {
    const withPredefined = mutate(
      readExample('list'),
      '"source": "amplitude"',
      '"source": "$amp_cohort_url $amplitude_cohort_name $bearer_token"',
    );
    assert.deepStrictEqual(
      analyzeAs('list', withPredefined).diagnostics.map((d) => d.code),
      ['predefined-alias'],
    );
  });

  it('reports ${parameters.x} in a streaming URL that no parameter declares', () => {
    const streaming = mutate(readExample('streaming'), 'https://${parameters.region}', 'https://${parameters.zone}');
    const found = analyzeAs('streaming', streaming).diagnostics.filter((d) => d.code === 'undeclared-parameter');
    assert.strictEqual(found.length, 1);
    assert.strictEqual(textAt(streaming, found[0]), 'zone');
  });
});
