import * as assert from 'assert';
import { analyzeAs, applyFix, mutate, readExample, textAt } from '../helpers/manifests';

type Kind = Parameters<typeof readExample>[0];

/** Every finding of the placeholder check's codes, as [code, severity, the text under its range]. */
function placeholderFindings(kind: Kind, text: string) {
  return analyzeAs(kind, text)
    .diagnostics.filter((d) => d.code === 'foreign-placeholder' || d.code === 'unsupported-expression')
    .map((d) => ({ code: d.code, severity: d.severity, text: textAt(text, d), message: d.message, fixes: d.fixes }));
}

describe('foreign-placeholder', () => {
  const list = readExample('list');
  const streaming = readExample('streaming');

  it('is silent on the examples, which use $name (cohort) and ${parameters.name} (streaming)', () => {
    assert.deepStrictEqual(placeholderFindings('list', list), []);
    assert.deepStrictEqual(placeholderFindings('property', readExample('property')), []);
    assert.deepStrictEqual(placeholderFindings('streaming', streaming), []);
  });

  it('a FreeMarker-style ${region} in a cohort URL: an error on the placeholder, fixed to $region', () => {
    const text = mutate(
      list,
      '"url": "https://api.$region.pushwave.example/v2/audiences"',
      '"url": "https://api.${region}.pushwave.example/v2/audiences"',
    );
    const found = placeholderFindings('list', text);
    assert.deepStrictEqual(
      found.map((f) => [f.code, f.severity, f.text]),
      [['foreign-placeholder', 'error', '${region}']],
    );
    assert.match(found[0].message, /sends "\$\{region\}" as it is written/);
    assert.match(found[0].message, /use \$name, not \$\{name\}/);
    const fixed = applyFix(text, found[0].fixes?.[0].edits() ?? []);
    assert.strictEqual(fixed, list);
    assert.deepStrictEqual(analyzeAs('list', fixed).diagnostics, []);
  });

  it('a Handlebars {{workspace_id}} in a cohort header', () => {
    const text = mutate(list, '"X-Pushwave-Workspace": "$workspace_id"', '"X-Pushwave-Workspace": "{{workspace_id}}"');
    const found = placeholderFindings('list', text);
    assert.deepStrictEqual(
      found.map((f) => [f.code, f.severity, f.text]),
      [['foreign-placeholder', 'error', '{{workspace_id}}']],
    );
    assert.match(found[0].message, /not \{\{name\}\}/);
  });

  it('${name} followed by a letter: no fix, since $name would run into the letter', () => {
    const text = mutate(
      list,
      '"url": "https://api.$region.pushwave.example/v2/audiences"',
      '"url": "https://api.${region}east.pushwave.example/v2/audiences"',
    );
    const found = placeholderFindings('list', text);
    assert.deepStrictEqual(
      found.map((f) => [f.code, f.text]),
      [['foreign-placeholder', '${region}']],
    );
    assert.match(found[0].message, /a letter follows/);
    assert.strictEqual(found[0].fixes, undefined);
  });

  it('the cohort $api_key in a streaming header: fixed to ${parameters.api_key}', () => {
    const text = mutate(streaming, '"Bearer ${parameters.api_key}"', '"Bearer $api_key"');
    const found = placeholderFindings('streaming', text);
    assert.deepStrictEqual(
      found.map((f) => [f.code, f.severity, f.text]),
      [['foreign-placeholder', 'error', '$api_key']],
    );
    assert.match(found[0].message, /use \$\{parameters\.name\} \(\$name is the cohort syntax\)/);
    const fixed = applyFix(text, found[0].fixes?.[0].edits() ?? []);
    assert.strictEqual(fixed, streaming);
  });
});

describe('unsupported-expression', () => {
  const streaming = readExample('streaming');

  it('a FreeMarker built-in in the streaming URL is sent as written: an error on the whole expression', () => {
    const text = mutate(streaming, '${parameters.region}', '${parameters.region?lower_case}');
    const found = placeholderFindings('streaming', text);
    assert.deepStrictEqual(
      found.map((f) => [f.code, f.severity, f.text]),
      [['unsupported-expression', 'error', '${parameters.region?lower_case}']],
    );
    assert.match(found[0].message, /Only \$\{parameters\.name\} is filled in the request URL and headers/);
    assert.match(found[0].message, /Compute values in the body template/);
  });

  it('an event field (${input.user_id}) in a header is not filled either', () => {
    const text = mutate(
      streaming,
      '"Content-Type": "application/json"',
      '"Content-Type": "application/json",\n      "X-Beacon-User": "${input.user_id}"',
    );
    assert.deepStrictEqual(
      placeholderFindings('streaming', text).map((f) => [f.code, f.text]),
      [['unsupported-expression', '${input.user_id}']],
    );
  });
});
