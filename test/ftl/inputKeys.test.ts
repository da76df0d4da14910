import * as assert from 'assert';
import { eventForKeys, inputKeysRead } from '../../server/src/ftl/inputKeys';

const keys = (template: string) => {
  const read = inputKeysRead(template);
  return read === undefined ? 'every key' : [...read].sort();
};

describe('the event keys a body template reads (ftl/inputKeys)', () => {
  it('follows input.name and input["name"] (quotes of both kinds, $ in the name, spaces)', () => {
    const template =
      '{"user": "${(input.user_id!input.device_id!"")?json_string}", "id": "${input["$insert_id"]!""}",\n' +
      '"t": "${input[\'event_time\']}", "p": ${input . event_properties?size}, <#if input[ "groups" ]??>1</#if>}';
    assert.deepStrictEqual(keys(template), [
      '$insert_id',
      'device_id',
      'event_properties',
      'event_time',
      'groups',
      'user_id',
    ]);
  });

  it('keeps a whole property when the template goes deeper into it', () => {
    assert.deepStrictEqual(keys('<#list input.event_properties?keys as k>${input.event_properties[k]}</#list>'), [
      'event_properties',
    ]);
  });

  it('reads no event key from a template that never names input (and other names that contain it)', () => {
    assert.deepStrictEqual(keys('${mappedFields.email} ${parameters.input_mode} ${my_input} ${x.input}'), []);
  });

  it('gives up (every key) on input used whole, a computed subscript, or an escaped name', () => {
    for (const template of [
      '<#list input?keys as k>${k}</#list>',
      '<#assign e = input>${e.user_id}',
      '<@show input/>',
      '${input[key]}',
      '${input["user_${n}"]}',
      '${input["a\\"b"]}',
      '${input.data\\-id}',
      '${input!}',
      '${1..input.count}'.replace('input.count', 'input'),
      '<#-- input is the event -->${input.user_id}',
    ])
      assert.strictEqual(inputKeysRead(template), undefined, template);
  });

  it('gives up on every way of naming a variable at run time', () => {
    for (const template of [
      '${"input.user_id"?eval}',
      '${.vars["input"].user_id}',
      '${.data_model.input.user_id}',
      '${.globals.input.user_id}',
      '<#assign t = "${input.user_id}"?interpret><@t/>',
      '<#include "other.ftl">',
      '<#import "lib.ftl" as lib>',
    ])
      assert.strictEqual(inputKeysRead(template), undefined, template);
  });

  it('counts a range end as input itself, not a member of something else', () => {
    assert.deepStrictEqual(keys('<#list 1..input.count as i>${i}</#list>'), ['count']);
  });

  it('keeps only own keys, __proto__ included, and nothing the event lacks', () => {
    const event = JSON.parse('{"user_id":"u1","__proto__":{"x":1},"other":2}') as Record<string, unknown>;
    const kept = eventForKeys(event, new Set(['user_id', '__proto__', 'missing', 'toString']));
    assert.deepStrictEqual(Object.keys(kept).sort(), ['__proto__', 'user_id']);
    assert.deepStrictEqual(kept.__proto__, { x: 1 });
    assert.strictEqual(eventForKeys(event, undefined), event);
  });
});
