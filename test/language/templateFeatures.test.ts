// A body template's editor features as pure functions, in process: completion and hover over the text.
import * as assert from 'assert';
import { completeTemplate } from '../../server/src/language/template/completion';
import { hoverTemplate } from '../../server/src/language/template/hover';
import type { TemplateManifest } from '../../server/src/templates/templateAnalysis';

const MANIFEST: TemplateManifest = {
  file: 'beacon-events.amplitude.json',
  parameters: ['app_id'],
  mappedFields: ['external_id', 'email'],
  role: 'events',
};

function labelsAt(text: string, manifest: TemplateManifest | undefined): string[] {
  const answer = completeTemplate(text, text.length, manifest);
  assert.ok(answer, `completion at the end of ${text}`);
  return answer.items.map((i) => String(i.label));
}

describe('template features, in process', () => {
  it('completes the event fields after input., replacing the word typed so far', () => {
    const text = '{"name": "${input.ev';
    const answer = completeTemplate(text, text.length, MANIFEST);
    assert.ok(answer);
    assert.strictEqual(text.slice(answer.start), 'ev');
    const labels = answer.items.map((i) => i.label);
    for (const field of ['event_type', 'event_time', 'user_id', 'device_id', 'event_properties'])
      assert.ok(labels.includes(field), field);
  });

  it("completes parameters. and mappedFields. with the manifest's own names only", () => {
    assert.deepStrictEqual(labelsAt('${parameters.', MANIFEST), ['app_id']);
    assert.deepStrictEqual(labelsAt('${mappedFields.', MANIFEST), ['external_id', 'email']);
    assert.deepStrictEqual(labelsAt('${parameters.', undefined), []);
  });

  it('completes built-ins after ? and directives after <#', () => {
    const builtIns = labelsAt('${input.event_type?', MANIFEST);
    for (const name of ['json_string', 'c', 'has_content']) assert.ok(builtIns.includes(name), name);
    const directives = labelsAt('<#', MANIFEST);
    for (const name of ['if', 'list', 'assign', 'setting']) assert.ok(directives.includes(name), name);
  });

  it('hovers an event field, a declared parameter, a built-in and a directive', () => {
    const text = '<#if input.user_id??>${parameters.app_id?json_string}</#if>';
    const at = (word: string) => hoverTemplate(text, text.indexOf(word) + 1, MANIFEST);
    assert.match(at('user_id')?.markdown ?? '', /^\*\*input\.user_id\*\*/);
    assert.match(at('app_id')?.markdown ?? '', /Declared in beacon-events\.amplitude\.json/);
    assert.match(at('json_string')?.markdown ?? '', /JSON string/);
    assert.match(at('if')?.markdown ?? '', /^\*\*<#if>\*\*/);
    const undeclared = '${parameters.region}';
    assert.match(hoverTemplate(undeclared, 14, MANIFEST)?.markdown ?? '', /Not declared in the manifest/);
  });

  it('has nothing to say outside FreeMarker', () => {
    assert.strictEqual(completeTemplate('{"name": "x', 11, MANIFEST), undefined);
    assert.strictEqual(hoverTemplate('{"name": "x"}', 3, MANIFEST), undefined);
  });
});
