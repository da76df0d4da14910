import * as assert from 'assert';
import { dataModelFor } from '../../server/src/freemarker/dataModel';
import type { FreemarkerWorker } from '../../server/src/freemarker/engine';
import { SAMPLE_EVENTS } from '../../server/src/freemarker/sampleEvents';
import { engineChecks } from '../../server/src/templates/engineChecks';
import { checkTemplate, type TemplateManifest } from '../../server/src/templates/templateAnalysis';
import { startedWorker } from '../helpers/engine';
import { NO_STREAMING } from '../../server/src/manifest/streaming';

const MANIFEST: TemplateManifest = {
  file: 'm.amplitude.json',
  parameters: ['api_key'],
  mappedFields: [],
  role: 'events',
};
const EVENT = SAMPLE_EVENTS[0].event;

function found(text: string, code: string) {
  return checkTemplate(text, MANIFEST)
    .filter((d) => d.code === code)
    .map((d) => ({ text: text.slice(d.start, d.end), message: d.message }));
}

describe('square-bracket syntax and settings newer than 2.3.31, as the engine reads them', () => {
  let worker: FreemarkerWorker;
  before(async () => {
    worker = await startedWorker();
  });
  after(() => worker.dispose());

  const render = async (text: string) => {
    const result = await worker.render('body.ftl', text, dataModelFor(NO_STREAMING, EVENT, {}, text));
    assert.ok(result.ok, result.ok ? '' : result.error.message);
    return result.output;
  };

  it('"square-interpolation-text": [=x] is sent as it is, and a template cannot turn it on', async () => {
    const text = '[#ftl]\n{"user_id": "[=input.user_id]", "type": "${input.event_type?json_string}"}';
    assert.strictEqual(await render(text), '{"user_id": "[=input.user_id]", "type": "Push Notification Send"}');
    const header = await worker.parse('body.ftl', '[#ftl interpolation_syntax="square_bracket"]\n[=input.user_id]');
    assert.ok(!header.ok, 'the #ftl header has no interpolation_syntax');
    const [finding, ...more] = found(text, 'square-interpolation-text');
    assert.strictEqual(more.length, 0);
    assert.strictEqual(finding.text, '[=input.user_id]');
    assert.match(finding.message, /sent as it is[\s\S]*interpolation_syntax[\s\S]*Write \$\{input\.user_id\}/);
    const angle = '{"user_id": "[=input.user_id]"}';
    assert.strictEqual(await render(angle), angle, 'in angle-bracket syntax too');
    assert.strictEqual(found(angle, 'square-interpolation-text').length, 1);
  });

  it('[=x] in a comment, in #noparse or in FreeMarker code is not text sent by mistake', () => {
    for (const text of [
      '[#ftl]\n[#-- [=input.user_id] --]{}',
      '<#noparse>[=x]</#noparse>',
      '${"[=x]"?length}',
      '[#ftl][#assign s = "[=x]"]{}',
    ])
      assert.deepStrictEqual(found(text, 'square-interpolation-text'), [], text);
  });

  it('"newer-freemarker": number_format="c" prints c1763647400000 on 2.3.31; the message says 2.3.32 has it', async () => {
    for (const text of ['<#setting number_format="c">${1763647400000}', '[#ftl][#setting number_format="c"]${1.5}']) {
      const output = await render(text);
      assert.match(output, /^c\d+$/, `2.3.31 prints ${output}`);
      const [finding] = found(text, 'newer-freemarker');
      assert.match(finding?.message ?? '', /number_format="c" is FreeMarker 2\.3\.32's[\s\S]*c1763647400000/);
    }
    const text = '<#setting number_format="c">{"session_id": ${input.session_id}}';
    const [finding] = checkTemplate(text, MANIFEST).filter((d) => d.code === 'newer-freemarker');
    const [fix, ...others] = finding.fixes ?? [];
    assert.strictEqual(others.length, 0);
    const [edit] = fix.edits();
    const fixed = text.slice(0, edit.offset) + edit.content + text.slice(edit.offset + edit.length);
    assert.strictEqual(await render(fixed), '{"session_id": 1763647400000}', 'the fix, rendered');
    assert.deepStrictEqual(found(fixed, 'newer-freemarker'), []);
    const cFormat = await engineChecks(worker, 'body.ftl', '<#setting c_format="JSON">{}', NO_STREAMING);
    assert.match(cFormat[0]?.message ?? '', /The c_format setting needs FreeMarker 2\.3\.32/);
    const computer = '<#setting number_format="computer">${1763647400000}';
    assert.strictEqual(await render(computer), '1763647400000');
    assert.deepStrictEqual(found(computer, 'newer-freemarker'), []);
    assert.strictEqual(found('<#setting number_format="c">{"n": ${input.session_id}}', 'unformatted-number').length, 1);
  });

  it('the name checks of <#...> run on [#if], [#list] and [#assign] in square-bracket syntax', () => {
    const text =
      '[#ftl]\n{"plan": [#if input.user_properties.plan == "premium"]1[#else]0[/#if], ' +
      '"tags": [[#list mappedProperties.tags as t]${t}[#sep],[/#sep][/#list]]}[#assign k = parameters.nope]';
    assert.deepStrictEqual(
      found(text, 'unguarded-input').map((f) => f.text),
      ['user_properties'],
    );
    assert.deepStrictEqual(
      found(text, 'unforwarded-structure').map((f) => f.text),
      ['mappedProperties.tags'],
    );
    assert.deepStrictEqual(
      found(text, 'undeclared-parameter').map((f) => f.text),
      ['nope'],
    );
  });

  it('unknown directives and built-ins in [#...] and ${...}: the engine says so, with the version of newer ones', async () => {
    for (const [text, message] of [
      ['[#ftl][#bogus]{}', /Unknown directive: #bogus/],
      ['[#ftl]{"id": ${input.amplitude_id?bogus}}', /Unknown built-in: "bogus"/],
      ['[#ftl]{"id": ${input.amplitude_id?cn}}', /\?cn needs FreeMarker 2\.3\.32/],
    ] as const) {
      const [syntax, ...more] = await engineChecks(worker, 'body.ftl', text, NO_STREAMING);
      assert.strictEqual(more.length, 0);
      assert.strictEqual(syntax.code, 'template-syntax');
      assert.match(syntax.message, message);
    }
  });
});
