import * as assert from 'assert';
import { completeTemplate } from '../../server/src/language/template/completion';
import { hoverTemplate } from '../../server/src/language/template/hover';

/** The labels completion offers with the cursor at the end of `text`. */
function labels(text: string): string[] {
  return (completeTemplate(text, text.length, undefined)?.items ?? []).map((i) => String(i.label));
}

function hover(text: string, word: string): string | undefined {
  return hoverTemplate(text, text.indexOf(word) + 1, undefined)?.markdown;
}

describe('template completion and hover: every 2.3.31 built-in and directive, every export API field', () => {
  it('completes the built-ins partners reach for that were missing', () => {
    const offered = labels('{"t": "${input.event_time?');
    for (const name of ['switch', 'keep_before', 'keep_after', 'iso_utc', 'iso_utc_ms', 'j_string', 'then', 'c'])
      assert.ok(offered.includes(name), name);
    assert.ok(!offered.includes('cn'), '?cn is 2.3.32: not offered for Amplitude');
  });

  it('completes every directive, in angle and square-bracket syntax, opening and closing', () => {
    for (const text of ['<#', '</#', '[#ftl]\n[#', '[#ftl]\n[/#']) {
      const offered = labels(text);
      for (const name of ['noparse', 'local', 'ftl', 'list', 'sep', 'attempt', 'recover', 'compress'])
        assert.ok(offered.includes(name), `${name} after ${text}`);
    }
  });

  it("completes the export API's fields under input.", () => {
    const offered = labels('${input.');
    for (const name of [
      'location_lat',
      'location_lng',
      'paying',
      'user_creation_time',
      'device_carrier',
      'idfa',
      'adid',
    ])
      assert.ok(offered.includes(name), name);
  });

  it('hovers a built-in with its doc, a directive in either syntax, and says which version has a newer one', () => {
    assert.match(hover('${input.event_time?keep_before(".")}', 'keep_before') ?? '', /before the first occurrence/);
    assert.match(hover('<#noparse>${x}</#noparse>', 'noparse') ?? '', /printed as it is/);
    assert.match(hover('[#ftl][#local x = 1]', 'local') ?? '', /macro or function/);
    assert.match(
      hover('${input.amplitude_id?cn}', 'cn') ?? '',
      /\?cn\*\* needs FreeMarker 2\.3\.32: Amplitude renders with 2\.3\.31/,
    );
    assert.match(hover('<#switch x><#on 1></#switch>', 'on 1') ?? '', /needs FreeMarker 2\.3\.34/);
    assert.match(hover('${input.paying?c}', 'paying') ?? '', /Holds a boolean: print it with `\?c`/);
    assert.match(hover('${(input.location_lat!0)?c}', 'location_lat') ?? '', /Holds a number with decimals/);
  });
});
