import * as assert from 'assert';
import * as path from 'path';
import { FreemarkerWorker, type PrintedSpan, type RenderResult } from '../../server/src/freemarker/engine';
import { builtEngine, startedWorker } from '../helpers/engine';

/**
 * An event as Amplitude's Export API documents its fields (https://amplitude.com/docs/apis/analytics/export):
 * ids of 13+ digits, a price, a name with a quote, an emoji and a line separator (U+2028) in a property.
 */
const EVENT = {
  event_type: 'Purchase',
  user_id: 'user@example.com',
  amplitude_id: 501234567890123,
  event_properties: { price: 1299.5, plan: 'Pro "annual" 😀\u2028plan', items: ['sku-1', 'sku-2', 'sku-3'] },
};

type Traced = { output: string; printed: PrintedSpan[] };

/** The template text a span names: FreeMarker's columns are 1-based and its end column is inclusive. */
function spanText(template: string, span: PrintedSpan): string {
  const lines = template.split('\n');
  const offset = (line: number, column: number) =>
    lines.slice(0, line - 1).reduce((sum, l) => sum + l.length + 1, 0) + column - 1;
  return template.slice(offset(span.line, span.column), offset(span.endLine, span.endColumn) + 1);
}

/** Each printed stretch: its kind, the template text that printed it, and what it printed. */
function stretches(template: string, traced: Traced): [PrintedSpan['kind'], string, string][] {
  return traced.printed.map((span) => [
    span.kind,
    span.line ? spanText(template, span) : '',
    traced.output.slice(span.start, span.end),
  ]);
}

function traced(result: RenderResult): Traced {
  if (!result.ok) throw new Error(result.error.message);
  assert.ok(result.printed, 'a traced render answers what it printed where');
  return { output: result.output, printed: result.printed };
}

/** The spans are in output order, touch one another and cover the whole output. */
function assertCovers(trace: Traced): void {
  let at = 0;
  for (const span of trace.printed) {
    assert.strictEqual(span.start, at, JSON.stringify(span));
    assert.ok(span.end > span.start, JSON.stringify(span));
    at = span.end;
  }
  assert.strictEqual(at, trace.output.length);
}

describe('FreeMarker worker: traced renders say which template span printed each stretch of output', () => {
  let worker: FreemarkerWorker;
  before(async () => {
    worker = await startedWorker();
  });
  after(() => worker.dispose());

  const render = async (template: string, data: unknown = { input: EVENT }) =>
    traced(await worker.render('body.ftl', template, data, { trace: true }));

  it('a JSON body: each value lands on its interpolation, the text between on the template text', async () => {
    const template = '{"a": ${input.amplitude_id?c}, "b": "${input.event_properties.plan?json_string}"}';
    const trace = await render(template);
    assertCovers(trace);
    assert.deepStrictEqual(stretches(template, trace), [
      ['text', '{"a": ', '{"a": '],
      ['interpolation', '${input.amplitude_id?c}', '501234567890123'],
      ['text', ', "b": "', ', "b": "'],
      ['interpolation', '${input.event_properties.plan?json_string}', 'Pro \\"annual\\" 😀\\u2028plan'],
      ['text', '"}', '"}'],
    ]);
  });

  it('output offsets are JS string indices, past an emoji and a raw U+2028 in the output', async () => {
    const template = '${input.event_properties.plan}|${input.user_id}';
    const trace = await render(template);
    assertCovers(trace);
    assert.deepStrictEqual(stretches(template, trace), [
      ['interpolation', '${input.event_properties.plan}', 'Pro "annual" 😀\u2028plan'],
      ['text', '|', '|'],
      ['interpolation', '${input.user_id}', 'user@example.com'],
    ]);
  });

  it('inside #list and #if: one stretch per iteration, each on the same interpolation', async () => {
    const template =
      '[<#list input.event_properties.items as item>"${item}"<#sep>, </#list>]' +
      '<#if input.user_id??>${input.user_id}<#else>none</#if>';
    const trace = await render(template);
    assertCovers(trace);
    assert.deepStrictEqual(stretches(template, trace), [
      ['text', '[', '['],
      ['text', '"', '"'],
      ['interpolation', '${item}', 'sku-1'],
      ['text', '"', '"'],
      ['text', ', ', ', '],
      ['text', '"', '"'],
      ['interpolation', '${item}', 'sku-2'],
      ['text', '"', '"'],
      ['text', ', ', ', '],
      ['text', '"', '"'],
      ['interpolation', '${item}', 'sku-3'],
      ['text', '"', '"'],
      ['text', ']', ']'],
      ['interpolation', '${input.user_id}', 'user@example.com'],
    ]);
  });

  it('a macro prints from its own body; a #function call lands on the interpolation that called it', async () => {
    const template =
      '<#macro field name value>"${name}": "${value?json_string}"</#macro>' +
      '<#function cents amount><#return (amount * 100)?round></#function>' +
      '{<@field name="plan" value=input.event_properties.plan/>, "cents": ${cents(input.event_properties.price)?c}}';
    const trace = await render(template);
    assertCovers(trace);
    const printed = stretches(template, trace);
    assert.deepStrictEqual(printed, [
      ['text', '{', '{'],
      ['text', '"', '"'],
      ['interpolation', '${name}', 'plan'],
      ['text', '": "', '": "'],
      ['interpolation', '${value?json_string}', 'Pro \\"annual\\" 😀\\u2028plan'],
      ['text', '"', '"'],
      ['text', ', "cents": ', ', "cents": '],
      ['interpolation', '${cents(input.event_properties.price)?c}', '129950'],
      ['text', '}', '}'],
    ]);
  });

  it('a multi-line template with tabs: lines and columns are the template’s own (a tab is one column)', async () => {
    const template = '{\n\t"event": "${input.event_type}",\n\t"price": ${input.event_properties.price?c}\n}';
    const trace = await render(template);
    assertCovers(trace);
    const values = trace.printed.filter((span) => span.kind === 'interpolation');
    assert.deepStrictEqual(
      values.map(({ line, column, endLine, endColumn }) => [line, column, endLine, endColumn]),
      [
        [2, 12, 2, 30],
        [3, 11, 3, 43],
      ],
    );
    assert.deepStrictEqual(
      values.map((span) => spanText(template, span)),
      ['${input.event_type}', '${input.event_properties.price?c}'],
    );
    assert.deepStrictEqual(
      values.map((span) => trace.output.slice(span.start, span.end)),
      ['Purchase', '1299.5'],
    );
  });

  it('square-bracket tags are traced the same; [=x] is template text without the setting that enables it', async () => {
    const template = '[#ftl]\n[#list input.event_properties.items as item]${item};[/#list][=input.user_id]';
    const trace = await render(template);
    assertCovers(trace);
    assert.deepStrictEqual(stretches(template, trace), [
      ['interpolation', '${item}', 'sku-1'],
      ['text', ';', ';'],
      ['interpolation', '${item}', 'sku-2'],
      ['text', ';', ';'],
      ['interpolation', '${item}', 'sku-3'],
      ['text', ';', ';'],
      ['text', '[=input.user_id]', '[=input.user_id]'],
    ]);
  });

  it('#attempt (FreeMarker buffers its section): values land on their own interpolations, nested too', async () => {
    const template =
      '{<#attempt>"price": ${input.event_properties.price?c}<#recover>"price": 0</#attempt>, ' +
      '<#attempt>"id": ${input.missing?c}<#recover>"id": "${input.user_id}"</#attempt>, ' +
      '<#attempt>"p": "<#attempt>${input.event_properties.plan?length}<#recover>?</#attempt>"<#recover></#attempt>}';
    const trace = await render(template);
    assertCovers(trace);
    assert.deepStrictEqual(stretches(template, trace), [
      ['text', '{', '{'],
      ['text', '"price": ', '"price": '],
      ['interpolation', '${input.event_properties.price?c}', '1299.5'],
      ['text', ', ', ', '],
      ['text', '"id": "', '"id": "'],
      ['interpolation', '${input.user_id}', 'user@example.com'],
      ['text', '"', '"'],
      ['text', ', ', ', '],
      ['text', '"p": "', '"p": "'],
      ['interpolation', '${input.event_properties.plan?length}', '20'],
      ['text', '"', '"'],
      ['text', '}', '}'],
    ]);
    const plain = await worker.render('body.ftl', template, { input: EVENT });
    assert.ok(plain.ok && plain.output === trace.output && !plain.printed, JSON.stringify(plain));
  });

  it('#{...} is an interpolation too', async () => {
    const template = 'price #{input.event_properties.price; m2}';
    const trace = await render(template);
    assert.deepStrictEqual(stretches(template, trace), [
      ['text', 'price ', 'price '],
      ['interpolation', '#{input.event_properties.price; m2}', '1299.50'],
    ]);
  });

  it('output of another template (?interpret) is "other", with no place in this one', async () => {
    const template = '<#assign inline = r"${input.event_type}"?interpret>[<@inline/>]';
    const trace = await render(template);
    assertCovers(trace);
    assert.deepStrictEqual(
      trace.printed.map((span) => [span.kind, span.line, trace.output.slice(span.start, span.end)]),
      [
        ['text', 1, '['],
        ['other', 0, 'Purchase'],
        ['text', 1, ']'],
      ],
    );
  });

  it('a trace stays bounded: past 50,000 stretches, the rest of the output is one last "other"', async () => {
    const trace = await render('<#list 1..60000 as i>x</#list>', {});
    assertCovers(trace);
    assert.strictEqual(trace.printed.length, 50_000);
    assert.deepStrictEqual(trace.printed[49_998], { ...trace.printed[0], start: 49_998, end: 49_999 });
    assert.deepStrictEqual(trace.printed[49_999], {
      start: 49_999,
      end: 60_000,
      kind: 'other',
      line: 0,
      column: 0,
      endLine: 0,
      endColumn: 0,
    });
  });

  it('without trace the answer is unchanged: same output, no spans', async () => {
    const template = '{"plan": "${input.event_properties.plan?json_string}"}';
    const plain = await worker.render('body.ftl', template, { input: EVENT });
    const withTrace = await render(template);
    assert.ok(plain.ok && !('printed' in plain), JSON.stringify(plain));
    assert.strictEqual(plain.output, withTrace.output);
  });

  it('traced and plain renders asked for together (a batch) each get their own answer', async () => {
    const template = '${input.n}-${input.n * 2}';
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, n) => worker.render('batch.ftl', template, { input: { n } }, { trace: n < 20 })),
    );
    results.forEach((result, n) => {
      assert.ok(result.ok, JSON.stringify(result));
      assert.strictEqual(result.output, `${n}-${n * 2}`);
      if (n >= 20) return assert.ok(!result.printed, `render ${n} was not traced`);
      assert.deepStrictEqual(stretches(template, traced(result)), [
        ['interpolation', '${input.n}', String(n)],
        ['text', '-', '-'],
        ['interpolation', '${input.n * 2}', String(n * 2)],
      ]);
    });
  });

  it('the bundled 2.3.28 engine (the last resort) traces the same', async () => {
    const location = builtEngine();
    const jar = path.join(location.workerDir, 'freemarker-2.3.28.jar');
    const old = new FreemarkerWorker({ ...location, jar, jarSource: 'bundled' });
    try {
      assert.strictEqual(await old.start(), '2.3.28');
      const template = '{"user": "${input.user_id?json_string}"}';
      const trace = traced(await old.render('body.ftl', template, { input: EVENT }, { trace: true }));
      assert.deepStrictEqual(stretches(template, trace), [
        ['text', '{"user": "', '{"user": "'],
        ['interpolation', '${input.user_id?json_string}', 'user@example.com'],
        ['text', '"}', '"}'],
      ]);
    } finally {
      old.dispose();
    }
  });
});
