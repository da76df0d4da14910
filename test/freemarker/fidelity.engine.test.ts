import * as assert from 'assert';
import type { FreemarkerWorker } from '../../server/src/freemarker/engine';
import { dataModelFor } from '../../server/src/freemarker/dataModel';
import { fidelityChecks } from '../../server/src/templates/fidelity';
import { startedWorker } from '../helpers/engine';

/** An event whose forwarded properties are a price, a plan and the kind of array Amplitude does not forward. */
const EVENT = {
  event_type: 'Purchase',
  user_id: 'u-1',
  event_properties: { price: 19.99, plan: 'premium', cities: ['Paris', 'Lyon'] },
};

/**
 * Each flagged use, rendered by the real engine over the data model Amplitude gives a template: what the
 * warning says happens in production happens here.
 */
describe('data-model fidelity checks, against the real engine', () => {
  let worker: FreemarkerWorker;
  before(async () => {
    worker = await startedWorker({ timeoutMs: 5000 });
  });
  after(() => worker.dispose());

  const render = (template: string) =>
    worker.render('body.ftl', template, dataModelFor(undefined, EVENT, {}, template));
  const codes = (template: string) => fidelityChecks(template).map((d) => d.code);

  it('arithmetic and number built-ins on a forwarded property: flagged, and the engine fails on them', async () => {
    for (const template of ['${mappedProperties.price?number * 2}', '${mappedProperties.price * 2}']) {
      assert.deepStrictEqual(codes(template), ['string-property-arithmetic'], template);
      assert.strictEqual((await render(template)).ok, false, template);
    }
    // `+` does not fail: it joins text, quotes and all.
    assert.deepStrictEqual(codes('${mappedProperties.price + 1}'), ['string-property-arithmetic']);
    const joined = await render('${mappedProperties.price + 1}');
    assert.ok(joined.ok && joined.output === '"19.99"1', JSON.stringify(joined));
  });

  it('a comparison with a text without the quotes: flagged, and it never matches', async () => {
    const unquoted = '<#if mappedProperties.plan == "premium">yes<#else>no</#if>';
    assert.deepStrictEqual(codes(unquoted), ['string-property-arithmetic']);
    const never = await render(unquoted);
    assert.ok(never.ok && never.output === 'no', JSON.stringify(never));
    const quoted = '<#if mappedProperties.plan == "\\"premium\\"">yes<#else>no</#if>';
    assert.deepStrictEqual(codes(quoted), []);
    const result = await render(quoted);
    assert.ok(result.ok && result.output === 'yes', JSON.stringify(result));
    assert.deepStrictEqual(codes('<#if mappedProperties.plan != "">x</#if>'), [], 'empty stays empty');
  });

  it('an array property: flagged, and Amplitude (like the data model) forwards nothing for it', async () => {
    const template = '${(mappedProperties.cities?size)!"none"}';
    assert.deepStrictEqual(codes(template), ['unforwarded-structure']);
    const result = await render(template);
    assert.ok(result.ok && result.output === 'none', JSON.stringify(result));
  });

  it('printing a forwarded property as it is: no warning, valid JSON out', async () => {
    const template = '{"price": ${mappedProperties.price}, "plan": ${mappedProperties.plan}}';
    assert.deepStrictEqual(codes(template), []);
    const result = await render(template);
    assert.ok(result.ok, JSON.stringify(result));
    assert.deepStrictEqual(JSON.parse(result.output), { price: '19.99', plan: 'premium' });
  });
});
