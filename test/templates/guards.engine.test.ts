import * as assert from 'assert';
import type { FreemarkerWorker } from '../../server/src/freemarker/engine';
import { dataModelFor } from '../../server/src/freemarker/dataModel';
import { checkJson } from '../../server/src/freemarker/renderBody';
import { SAMPLE_EVENTS } from '../../server/src/freemarker/sampleEvents';
import { checkTemplate } from '../../server/src/templates/templateAnalysis';
import { startedWorker } from '../helpers/engine';

type Code = 'unguarded-input' | 'unescaped-string';

interface Case {
  name: string;
  template: string;
  /** What the engine shows: valid JSON for every sample event (undefined), or the code of the defect it shows. */
  defect?: Code;
}

// Event bodies in the shapes partners' public APIs take:
// Braze "Track users" POST /users/track, https://www.braze.com/docs/api/endpoints/user_data/post_user_track/
// Iterable "Track an event" POST /api/events/track, https://api.iterable.com/api/docs#events_track
// Mixpanel "Import Events" POST /import, https://developer.mixpanel.com/reference/import-events
// Customer.io "Track API: track an event", https://customer.io/docs/api/track/#operation/track
// Intercom "Submit a data event" POST /events, https://developers.intercom.com/docs/references/rest-api/api.intercom.io/data-events/createdataevent
const GUARD_CASES: Case[] = [
  {
    name: 'Braze: a nested key tested with ?? before it is read',
    template:
      '{"events":[{"external_id":"${(input.user_id!"")?json_string}","name":"${input.event_type?json_string}"' +
      '<#if input.event_properties.campaign_name??>,"properties":{"campaign":' +
      '"${input.event_properties.campaign_name?json_string}"}</#if>}]}',
  },
  {
    name: 'Iterable: a nested key tested with ?has_content',
    template:
      '{"eventName":"${input.event_type?json_string}","dataFields":{' +
      '<#if input.event_properties.coupon?has_content>"coupon":"${input.event_properties.coupon?json_string}",' +
      '</#if>"source":"amplitude"}}',
  },
  {
    name: 'Customer.io: the user id tested in parentheses',
    template:
      '{"name":"${input.event_type?json_string}",<#if (input.user_id)?has_content>' +
      '"customer_id":"${input.user_id?json_string}"<#else>"anonymous_id":"${(input.device_id!"")?json_string}"</#if>}',
  },
  {
    name: 'Mixpanel: a nested read defaulted in parentheses',
    template:
      '{"event":"${input.event_type?json_string}","properties":{"distinct_id":"${(input.user_id!"")?json_string}",' +
      '"plan":"${((input.user_properties.plan)!"")?json_string}"}}',
  },
  {
    name: 'Intercom: ?default(...) on a field anonymous events lack',
    template:
      '{"event_name":"${input.event_type?json_string}","user_id":"${input.user_id?default("anonymous")?json_string}"}',
  },
  {
    name: 'Braze: a property name with brackets, defaulted',
    template:
      '{"events":[{"name":"${input.event_type?json_string}","properties":{"color":' +
      '"${(input.event_properties["[Custom event property] color"]!"")?json_string}"}}]}',
  },
  {
    name: 'Iterable: an optional field read inside #attempt/#recover',
    template:
      '{"eventName":"${input.event_type?json_string}"<#attempt>,"userId":"${input.user_id?json_string}"' +
      '<#recover></#attempt>}',
  },
  {
    name: 'Customer.io: FreeMarker text inside #noparse is sent as it is',
    template: '{"name":"${input.event_type?json_string}","data":{"doc":"<#noparse>${input.user_id}</#noparse>"}}',
  },
  {
    name: 'Mixpanel: square-bracket syntax with the user id tested',
    template:
      '[#ftl]{"event":"${input.event_type?json_string}","properties":{[#if input.user_id?has_content]' +
      '"distinct_id":"${input.user_id?json_string}",[/#if]"time":"${input.event_time?json_string}"}}',
  },
  {
    name: 'Intercom: a default through #assign',
    template:
      '<#assign uid = input.user_id!"">{"event_name":"${input.event_type?json_string}","user_id":"${uid?json_string}"}',
  },
  {
    name: 'Iterable: square-bracket syntax, an optional field read inside [#attempt]',
    template:
      '[#ftl]{"eventName":"${input.event_type?json_string}"[#attempt],"userId":"${input.user_id?json_string}"' +
      '[#recover][/#attempt]}',
  },
  {
    name: 'Customer.io: square-bracket syntax, text inside [#noparse]',
    template: '[#ftl]{"name":"${input.event_type?json_string}","doc":"[#noparse]${input.user_id}[/#noparse]"}',
  },
  {
    name: 'Customer.io: square-bracket syntax, a read in a [#-- comment --]',
    template: '[#ftl][#-- ${input.user_id} --]{"name":"${input.event_type?json_string}"}',
  },
  {
    name: 'Mixpanel: square-bracket syntax, an unguarded read in [#assign]',
    template:
      '[#ftl][#assign uid = input.user_id]{"event":"${input.event_type?json_string}","id":"${uid?json_string}"}',
    defect: 'unguarded-input',
  },
  {
    name: 'Intercom: != is a comparison, not a default',
    template: '{"event_name":"${input.event_type?json_string}"<#if input.user_id != "">,"identified":true</#if>}',
    defect: 'unguarded-input',
  },
  {
    name: 'Braze: a nested test guards the whole path it tests, not its neighbour',
    template:
      '{"name":"${input.event_type?json_string}"<#if input.event_properties.plan??>,' +
      '"plan":"${input.event_properties.plan?json_string}"</#if>,' +
      '"campaign":"${input.event_properties.campaign_name?json_string}"}',
    defect: 'unguarded-input',
  },
  {
    name: 'Customer.io: the user id read as it is (anonymous events fail)',
    template: '{"name":"${input.event_type?json_string}","customer_id":"${input.user_id?json_string}"}',
    defect: 'unguarded-input',
  },
  {
    name: 'Braze: a bracket key read without a default',
    template:
      '{"name":"${input.event_type?json_string}","color":' +
      '"${input.event_properties["[Custom event property] color"]?json_string}"}',
    defect: 'unguarded-input',
  },
];

const ESCAPE_CASES: Case[] = [
  {
    name: 'Braze: a value escaped in #assign, printed in quotes',
    template:
      '<#assign name = input.event_type?json_string>{"events":[{"name":"${name}",' +
      '"external_id":"${(input.user_id!"")?json_string}"}]}',
  },
  {
    name: 'Iterable: a value escaped by a #function',
    template:
      '<#function esc v>\n<#return v?json_string>\n</#function>' +
      '{"eventName":"${esc(input.event_type)}","email":"${esc(input.user_properties.email!"")}"}',
  },
  {
    name: "Mixpanel: a value escaped in a macro's #local",
    template:
      '<#macro field key value><#local escaped = value?json_string>"${key}":"${escaped}"</#macro>' +
      '{"event":"${input.event_type?json_string}","properties":{<@field "city" input.city!""/>}}',
  },
  {
    name: 'Customer.io: a timestamp with ?long and an id with ?c inside quotes',
    template:
      '{"name":"${input.event_type?json_string}","id":"${(input.event_id!0)?c}",' +
      '"session":"${(input.session_id!0)?long?c}"}',
  },
  {
    name: 'Intercom: numbers printed with ?string("0") and ?string.computer',
    template:
      '{"event_name":"${input.event_type?json_string}","metadata":{"amplitude_id":"${(input.amplitude_id!0)?string("0")}",' +
      '"app":"${(input.app!0)?string.computer}"}}',
  },
  {
    name: 'Braze: an ISO time from ?replace of event_time',
    template: '{"events":[{"name":"${input.event_type?json_string}","time":"${input.event_time?replace(" ", "T")}Z"}]}',
  },
  {
    name: 'Iterable: an ISO time from ?keep_before and ?iso_utc',
    template:
      '{"eventName":"${input.event_type?json_string}","createdAt":"${input.event_time?keep_before(".")}",' +
      '"at":"${input.event_time?keep_before(".")?datetime("yyyy-MM-dd HH:mm:ss")?iso_utc}"}',
  },
  {
    name: 'Mixpanel: ?then and ?switch returning literals',
    template:
      '{"event":"${input.event_type?json_string}","properties":{"known":"${(input.user_id??)?then("yes", "no")}",' +
      '"os":"${(input.platform!"")?switch("iOS", "apple", "Android", "google", "other")}"}}',
  },
  {
    name: 'Customer.io: ?j_string on text without apostrophe escapes',
    template:
      '{"name":"${input.event_type?j_string}","data":{"label":"${(input.event_properties.label!"")?j_string}"}}',
  },
  {
    name: 'Intercom: literal keys of a hash literal',
    template:
      '{"event_name":"${input.event_type?json_string}","metadata":{<#list {"city": input.city!"", "country": ' +
      'input.country!""} as key, value>"${key}":"${value?json_string}"<#sep>,</#list>}}',
  },
  {
    name: "Customer.io: ?js_string on a text with an apostrophe (\\' is not JSON)",
    template:
      '{"name":"${input.event_type?json_string}","data":{"accents":"${(input.event_properties.accents!"")?js_string}"}}',
    defect: 'unescaped-string',
  },
  {
    name: 'Braze: an event name printed in quotes without ?json_string',
    template: '{"events":[{"name":"${input.event_type}","external_id":"${(input.user_id!"")?json_string}"}]}',
    defect: 'unescaped-string',
  },
  {
    name: 'Iterable: a join escapes only its last part',
    template:
      '{"eventName":"${input.event_type?json_string}","dataFields":' +
      '{"label":"${input.event_type + " / " + (input.user_id!"")?json_string}"}}',
    defect: 'unescaped-string',
  },
  {
    name: 'Braze: a join of escaped parts and a literal',
    template:
      '{"events":[{"name":"${input.event_type?json_string}",' +
      '"external_id":"${"amp-" + (input.user_id!"anonymous")?json_string}"}]}',
  },
  {
    name: 'Mixpanel: ?replace on a free-text field',
    template: '{"event":"${input.event_type?replace(" ", "_")}"}',
    defect: 'unescaped-string',
  },
];

/**
 * Each template rendered by the real engine over every sample event: its verdict (valid JSON for every event,
 * or a broken body for some) is what the checks must say.
 */
describe('guards and escaping as partners write them, against the real engine', () => {
  let worker: FreemarkerWorker;
  before(async () => {
    worker = await startedWorker({ timeoutMs: 10000 });
  });
  after(() => worker.dispose());

  /** The first sample event whose body breaks (a render error or invalid JSON), if any. */
  async function breakingSample(template: string): Promise<string | undefined> {
    for (const sample of SAMPLE_EVENTS) {
      const result = await worker.render('body.ftl', template, dataModelFor(undefined, sample.event));
      if (!result.ok) return `${sample.name}: ${result.error.message}`;
      const invalid = checkJson(result.output);
      if (invalid) return `${sample.name}: ${invalid}: ${result.output}`;
    }
    return undefined;
  }

  const codesOf = (template: string) =>
    checkTemplate(template, undefined)
      .map((d) => d.code)
      .filter((c) => c === 'unguarded-input' || c === 'unescaped-string');

  for (const item of [...GUARD_CASES, ...ESCAPE_CASES]) {
    it(`${item.defect ? 'defective' : 'correct'}: ${item.name}`, async () => {
      const broken = await breakingSample(item.template);
      assert.strictEqual(
        broken !== undefined,
        item.defect !== undefined,
        `engine: ${broken ?? 'every sample renders'}`,
      );
      const codes = codesOf(item.template);
      if (item.defect) assert.ok(codes.includes(item.defect), `${item.defect} expected, got ${JSON.stringify(codes)}`);
      else assert.deepStrictEqual(codes, [], 'no finding on a template the engine renders for every sample');
    });
  }
});
