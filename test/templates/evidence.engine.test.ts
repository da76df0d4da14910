import * as assert from 'assert';
import type { ManifestDiagnostic } from '../../server/src/base/diagnostic';
import type { FreemarkerWorker } from '../../server/src/freemarker/engine';
import { EVIDENCE_EVENTS } from '../../server/src/freemarker/evidenceEvents';
import { engineVerdict, withEngineVerdict } from '../../server/src/templates/engineChecks';
import { checkTemplate, templateManifestFrom } from '../../server/src/templates/templateAnalysis';
import { hoverTemplate } from '../../server/src/language/template/hover';
import { startedWorker } from '../helpers/engine';
import { streamingOf } from '../helpers/manifests';
import type { StreamingModel } from '../../server/src/manifest/streaming';

/**
 * A destination's track call in the shape Beacon's example manifest declares (examples/event-streaming): the
 * parameters and the user property mappings the templates below may read.
 */
const RAW_MANIFEST = {
  kind: 'event-streaming',
  parameters: [{ name: 'app_id' }],
  userPropertyMappings: [{ name: 'external_id' }, { name: 'email' }],
  request: { bodyTemplate: 'body.ftl' },
};

/** What a partner sees once the engine has spoken: the text checks with the engine's verdict, as validate shows. */
const MANIFEST = streamingOf(RAW_MANIFEST);

async function findings(worker: FreemarkerWorker, text: string, manifest: StreamingModel = MANIFEST) {
  const found = checkTemplate(text, templateManifestFrom('beacon.amplitude.json', manifest));
  return withEngineVerdict(found, await engineVerdict(worker, 'body.ftl', text, manifest));
}

const shown = (text: string, found: ManifestDiagnostic[]) =>
  found.map((d) => `${d.code} at ${JSON.stringify(text.slice(d.start, d.end))}: ${d.message.slice(0, 160)}`);

/** The one finding of `code`, with the text under its range. */
function one(text: string, found: ManifestDiagnostic[], code: string) {
  const of = found.filter((d) => d.code === code);
  assert.strictEqual(of.length, 1, shown(text, found).join('\n'));
  return { under: text.slice(of[0].start, of[0].end), message: of[0].message, severity: of[0].severity };
}

/**
 * Templates as experienced FreeMarker authors write them for Amplitude's events (guards with ??, ?has_content,
 * ?default, #attempt; escapes in #assign, #function and macros; ?string("0") on integers; ?iso_utc; ?then
 * literals; square syntax with number_format="computer"): correct for every evidence event.
 */
const CORRECT: Record<string, string> = {
  'the documented shape, number_format computer':
    '<#setting number_format="computer">\n{"id": "${(mappedFields.external_id!input.user_id!"")?json_string}", ' +
    '"name": "${input.event_type?json_string}", "time": "${input.event_time?json_string}", ' +
    '"props": {<#list mappedProperties?keys?filter(k -> mappedProperties[k]?has_content) as k>' +
    '"${k?json_string}": ${mappedProperties[k]}<#sep>, </#sep></#list>}}',
  'nested guards with ?? and ?has_content':
    '{"name": "${input.event_type?json_string}"<#if input.event_properties.campaign_name??>, ' +
    '"campaign": "${input.event_properties.campaign_name?json_string}"</#if><#if (input.user_id)?has_content>, ' +
    '"user": "${input.user_id?json_string}"</#if>}',
  '?default and parenthesised defaults':
    '{"device": "${input.device_id?default("")?json_string}", "price": ${((input.event_properties.price)!0)?c}, ' +
    '"amp": ${(input.amplitude_id!0)?c}, "session": ${(input.session_id!-1)?c}}',
  '#attempt / #recover around an optional read':
    '{"name": "${input.event_type?json_string}", "city": <#attempt>"${input.city?json_string}"<#recover>null' +
    '</#attempt>}',
  'escaped in #assign, #function and a macro':
    '<#function esc s>\n<#return s?json_string>\n</#function>\n<#macro str v>"${v?json_string}"</#macro>\n' +
    '<#assign name = input.event_type?json_string>\n{"name": "${name}", "user": "${esc(input.user_id!"")}", ' +
    '"device": <@str v=(input.device_id!"") />}',
  '?string("0") on integers, ?c on booleans and decimals':
    '{"amp": "${(input.amplitude_id!0)?string("0")}", "session": ${(input.session_id!0)?string("0")}, ' +
    '"control": ${(input.event_properties.in_control_group!false)?c}, "price": ${(input.price!0)?c}, ' +
    '"lat": ${(input.location_lat!0)?c}}',
  'an ISO time from event_time with ?keep_before and ?replace':
    '{"time": "${input.event_time?keep_before(".")?replace(" ", "T")}Z", ' +
    '"at": "${input.event_time?datetime("yyyy-MM-dd HH:mm:ss")?iso_utc}", ' +
    '"ms": ${(input.event_time?keep_before(".") + "Z")?replace(" ", "T")?datetime.iso?long?c}}',
  '?then and ?switch literals':
    '{"anonymous": ${input.user_id???then("true", "false")}, ' +
    '"kind": "${input.event_type?starts_with("[Appboy]")?then("braze", "custom")}", ' +
    '"os": "${(input.platform!"")?switch("iOS", "ios", "Android", "android", "other")}"}',
  'square syntax with number_format computer':
    '[#ftl][#setting number_format="computer"]{"amp": ${(input.amplitude_id!0)}, ' +
    '"name": "${input.event_type?json_string}"[#if input.event_properties.price??], ' +
    '"price": ${input.event_properties.price}[/#if]}',
  'Braze bracket keys with a default':
    '{"color": "${(input.event_properties["[Custom event property] color"]!"")?json_string}"}',
};

/** Each defect the issue lists, planted alone: the code, the text under its range, the event named. */
const DEFECTS: { name: string; text: string; code: string; under: string; event: RegExp }[] = [
  {
    name: 'an id printed as text through ?json_string comes out grouped',
    text: '{"amp": "${(input.amplitude_id!"")?json_string}"}',
    code: 'unformatted-number',
    under: '${(input.amplitude_id!"")?json_string}',
    event: /"Push Notification Send".*it printed 501,234,567,890 for 501234567890/,
  },
  {
    name: 'a price printed bare with the default format: invalid JSON on a 4-digit price',
    text: '{"price": ${(input.event_properties.price)!0}}',
    code: 'unformatted-number',
    under: '${(input.event_properties.price)!0}',
    event: /the sample event "Purchase \(price 1299\.99\)" it printed 1,299\.99 for 1299\.99/,
  },
  {
    name: 'precedence: x!0?c formats only the default',
    text: '{"price": ${(input.event_properties.price)!0?c}}',
    code: 'unformatted-number',
    under: '${(input.event_properties.price)!0?c}',
    event: /"Purchase \(price 1299\.99\)" it printed 1,299\.99/,
  },
  {
    name: 'number_format "0" rounds 19.99 to 20',
    text: '<#setting number_format="0">{"price": ${(input.event_properties.price)!0}}',
    code: 'number-changed',
    under: '${(input.event_properties.price)!0}',
    event: /"Purchase \(price 19\.99\)".*it printed 1300 for 1299\.99/,
  },
  {
    name: 'number_format "0.####" cuts coordinates',
    text: '<#setting number_format="0.####">{"lat": ${(input.location_lat!0)}}',
    code: 'number-changed',
    under: '${(input.location_lat!0)}',
    event: /the sample event "Location \(coordinates\)" it printed 37\.7749 for 37\.774929/,
  },
  {
    name: 'an unescaped event name breaks the JSON string',
    text: '{"name": "${input.event_type}"}',
    code: 'unescaped-string',
    under: '${input.event_type}',
    event: /"Quotes and backslashes".*it printed "Clicked \\"Buy now\\"", which ends or breaks the JSON string/,
  },
  {
    name: 'precedence: x!""?json_string escapes only the default',
    text: '{"user": "${input.user_id!""?json_string}"}',
    code: 'unescaped-string',
    under: '${input.user_id!""?json_string}',
    event: /the sample event "Quotes and backslashes" it printed "user\\\\42\\""/,
  },
  {
    name: 'double encoding of mappedProperties values',
    text:
      '{<#list mappedProperties?keys as k>"${k?json_string}": "${mappedProperties[k]?json_string}"' +
      '<#sep>, </#sep></#list>}',
    code: 'string-changed',
    under: '${mappedProperties[k]?json_string}',
    event: /it printed "\\"Spring sale\\"": the value's own JSON quotes, escaped once more/,
  },
  {
    name: '<#compress> collapses the spaces inside values',
    text: '<#compress>{"city": "${(input.city!"")?json_string}"}</#compress>',
    code: 'string-changed',
    under: '${(input.city!"")?json_string}',
    event: /"Newlines, U\+2028, emoji and runs of spaces" "São {2}Paulo" arrived as "São Paulo"/,
  },
  {
    name: '?datetime("...SSSSSS") reads six fraction digits as milliseconds',
    text:
      '{"t": "${input.event_time?datetime("yyyy-MM-dd HH:mm:ss.SSSSSS")' +
      '?string("yyyy-MM-dd\'T\'HH:mm:ss.SSSXXX")}"}',
    code: 'time-shifted',
    under: '${input.event_time?datetime("yyyy-MM-dd HH:mm:ss.SSSSSS")?string("yyyy-MM-dd\'T\'HH:mm:ss.SSSXXX")}',
    event:
      /"Push Notification Send".*its time 2026-11-20 14:03:27\.518243 arrived as 2026-11-20T14:12:05\.243Z, 8 min 38 s later/,
  },
  {
    name: 'a boolean printed with a string default fails on a real boolean',
    text: '{"control": ${(input.event_properties.in_control_group)!"false"}}',
    code: 'template-render-error',
    under: '${(input.event_properties.in_control_group)!"false"}',
    event: /"Canvas Entry \(in_control_group false\)", "Canvas Entry \(in_control_group true\)"/,
  },
  {
    name: 'a de_DE locale writes decimals with a comma',
    text: '<#setting locale="de_DE">{"price": "${((input.event_properties.price)!0)}"}',
    code: 'unformatted-number',
    under: '${((input.event_properties.price)!0)}',
    event: /it printed 1\.299,99 for 1299\.99/,
  },
  {
    name: 'number_format "c" is 2.3.32\'s: 2.3.31 prints it as a pattern',
    text: '<#setting number_format="c">{"session": ${(input.session_id!0)}}',
    code: 'output-not-json',
    under: '${(input.session_id!0)}',
    event: /it printed "c1763647400000" outside quotes/,
  },
  {
    name: 'a key written twice',
    text: '{"name": "${input.event_type?json_string}", "name": "${input.event_type?json_string}"}',
    code: 'duplicate-key',
    under: '"name"',
    event: /the key "name" came twice in one object/,
  },
];

describe('findings from the evidence events, against the real engine', () => {
  let worker: FreemarkerWorker;
  before(async () => {
    worker = await startedWorker({ timeoutMs: 10_000 });
  });
  after(() => worker.dispose());

  describe('correct expert templates: no finding', () => {
    for (const [name, text] of Object.entries(CORRECT))
      it(name, async () => assert.deepStrictEqual(shown(text, await findings(worker, text)), []));
  });

  describe('each defect: one finding, on the interpolation, naming the event and the bytes', () => {
    for (const defect of DEFECTS)
      it(`"${defect.code}": ${defect.name}`, async () => {
        const found = await findings(worker, defect.text);
        const finding = one(defect.text, found, defect.code);
        assert.strictEqual(finding.under, defect.under);
        assert.match(finding.message, defect.event);
      });
  });

  describe('"limit-exceeded" measures the rendered body', () => {
    const limited = streamingOf({ ...RAW_MANIFEST, limits: { maxProperties: 300 } });
    const sent = 'mappedProperties?keys?filter(k -> mappedProperties[k]?has_content)';
    const all = `{<#list ${sent} as k>"\${k?json_string}": \${mappedProperties[k]}<#sep>, </#sep></#list>}`;
    const capped = `{<#list (${sent})[0..*50] as k>"\${k?json_string}": \${mappedProperties[k]}<#sep>, </#sep></#list>}`;

    it('every property of a 320-property event sent: over a 300 limit, naming the event', async () => {
      const finding = one(all, await findings(worker, all, limited), 'limit-exceeded');
      assert.match(
        finding.message,
        /"Custom event, 320 properties": the body carries 324 of the event's properties; your limit is 300\.$/,
      );
    });

    it('a template that sends 50 at most: silent', async () => {
      assert.deepStrictEqual(shown(capped, await findings(worker, capped, limited)), []);
    });
  });

  it('a text finding the evidence shows wrong is dropped: ?length of the event name is never grouped', async () => {
    const text = '{"name": "${input.event_type?json_string}", "length": "${input.event_type?length}"}';
    const byText = checkTemplate(text, templateManifestFrom('beacon.amplitude.json', MANIFEST));
    assert.deepStrictEqual(
      byText.map((d) => [d.code, text.slice(d.start, d.end)]),
      [['unformatted-number', '${input.event_type?length}']],
    );
    assert.deepStrictEqual(shown(text, await findings(worker, text)), []);
  });

  it('a text finding the evidence cannot clear stays: an unguarded read of a field some events lack', async () => {
    const text = '{"amp": ${input.amplitude_id?c}}';
    const found = await findings(worker, text);
    assert.strictEqual(one(text, found, 'unguarded-input').under, 'amplitude_id');
    assert.match(one(text, found, 'template-render-error').message, /"Custom event \(sparse\)"/);
  });

  it('the hover says what a field holds, from the same event model', () => {
    const text = '${input.amplitude_id?c}';
    const hover = hoverTemplate(text, text.indexOf('amplitude_id') + 2, undefined);
    assert.match(hover?.markdown ?? '', /Holds a number, up to 16 digits: print it with `\?c`/);
  });

  it('the evidence holds a real boolean, a 4-digit price, 16-digit ids, 3- and 6-digit times', () => {
    const events = EVIDENCE_EVENTS.map((e) => e.event);
    const props = (e: Record<string, unknown>) => (e.event_properties ?? {}) as Record<string, unknown>;
    assert.ok(events.some((e) => props(e).in_control_group === true));
    assert.ok(events.some((e) => props(e).price === 1299.99));
    assert.ok(events.some((e) => String(e.amplitude_id).length === 16));
    assert.ok(events.some((e) => /\.\d{3}$/.test(String(e.event_time))));
    assert.ok(events.some((e) => /\.\d{6}$/.test(String(e.event_time))));
    assert.ok(events.every((e) => typeof e.event_type === 'string' && typeof e.event_time === 'string'));
  });
});
