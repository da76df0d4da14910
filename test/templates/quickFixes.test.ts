import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { CodeActionRequest, type CodeAction, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { SAMPLE_EVENTS } from '../../server/src/freemarker/sampleEvents';
import { RenderTemplateRequest } from '../../server/src/protocol';
import { fileUri, LspTestClient, REPO } from '../helpers/lspClient';

const TEMPLATE = path.join(REPO, 'examples', 'event-streaming', 'body.ftl');
const URI = fileUri(TEMPLATE);
const ORIGINAL = fs.readFileSync(TEMPLATE, 'utf8');
const NAME_LINE = '"name": "${input.event_type?json_string}",';

function textOf(text: string, d: Diagnostic): string {
  const doc = TextDocument.create('x', 'ftl', 1, text);
  return text.slice(doc.offsetAt(d.range.start), doc.offsetAt(d.range.end));
}

function applied(text: string, action: CodeAction): string {
  const edits = action.edit?.changes?.[URI];
  assert.ok(edits, `no edit in ${action.title}`);
  return TextDocument.applyEdits(TextDocument.create('x', 'ftl', 1, text), edits);
}

/** The documented template with `lines` after its "name" line (and without its number_format setting if asked). */
function templateWith(lines: string[], computerNumbers = true): string {
  const text = ORIGINAL.replace(NAME_LINE, `${NAME_LINE}\n      ${lines.join('\n      ')}`);
  return computerNumbers ? text : text.replace('<#setting number_format="computer">\n', '');
}

describe('quick fixes in body templates, verified by the real engine (over LSP)', () => {
  let client: LspTestClient;
  before(async () => {
    client = new LspTestClient(path.join(REPO, 'examples'));
    await client.initialize();
    await client.open(URI, ORIGINAL);
  });
  after(() => client.stop());

  /** Opens `text` and waits for the diagnostic `code` on `spanText`. */
  async function diagnosed(text: string, code: string, spanText: string): Promise<Diagnostic> {
    client.changeNoWait(URI, text);
    const found = await client.diagnosticsMatching(URI, (d) =>
      d.some((x) => x.code === code && textOf(text, x) === spanText),
    );
    return found.find((x) => x.code === code && textOf(text, x) === spanText) as Diagnostic;
  }

  function fixesFor(diagnostics: Diagnostic[], range = diagnostics[0].range): Promise<CodeAction[]> {
    return client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: URI },
      range,
      context: { diagnostics },
    }) as Promise<CodeAction[]>;
  }

  /** The fixed template renders JSON for every sample event, and the diagnostic it fixed is gone. */
  async function rendersEverySample(fixed: string, code: string, line: string): Promise<void> {
    client.changeNoWait(URI, fixed);
    const lineOf = (d: Diagnostic) => fixed.split('\n')[d.range.start.line].trim();
    await client.diagnosticsMatching(URI, (d) => !d.some((x) => x.code === code && lineOf(x) === line));
    for (const sample of SAMPLE_EVENTS) {
      const rendered = await client.request(RenderTemplateRequest, { uri: URI, sample: sample.name });
      assert.ok(rendered.ok, `${sample.name}: ${rendered.error?.message}`);
      assert.doesNotThrow(() => JSON.parse(rendered.output ?? ''), `${sample.name}: ${rendered.output}`);
    }
  }

  it('a default before a built-in wraps the value: (input.session_id!0)?c, not input.session_id!""?c', async () => {
    const text = templateWith(['"session": ${input.session_id?c},']);
    const diagnostic = await diagnosed(text, 'unguarded-input', 'session_id');
    const actions = await fixesFor([diagnostic]);
    assert.deepStrictEqual(
      actions.map((a) => [a.isPreferred, a.diagnostics?.[0].code]),
      [[true, 'unguarded-input']],
    );
    const fixed = applied(text, actions[0]);
    assert.ok(fixed.includes('"session": ${(input.session_id!0)?c},'), fixed);
    await rendersEverySample(fixed, 'unguarded-input', '"session": ${(input.session_id!0)?c},');
  });

  it('a default on a path goes after the whole path, parenthesised, never mid-path', async () => {
    const text = templateWith(['"plan": "${input.user_properties.plan?json_string}",']);
    const diagnostic = await diagnosed(text, 'unguarded-input', 'user_properties');
    const actions = await fixesFor([diagnostic]);
    assert.strictEqual(actions.length, 1);
    assert.strictEqual(actions[0].isPreferred, true);
    const fixed = applied(text, actions[0]);
    const line = '"plan": "${((input.user_properties.plan)!"")?json_string}",';
    assert.ok(fixed.includes(line), fixed);
    assert.ok(!fixed.includes('!"".plan'));
    await rendersEverySample(fixed, 'unguarded-input', line);
  });

  it('a default on an escaped value keeps its one ?json_string', async () => {
    const text = templateWith(['"city": "${input.city?json_string}",']);
    const diagnostic = await diagnosed(text, 'unguarded-input', 'city');
    const actions = await fixesFor([diagnostic]);
    assert.strictEqual(actions.length, 1);
    const fixed = applied(text, actions[0]);
    const line = '"city": "${(input.city!"")?json_string}",';
    assert.ok(fixed.includes(line), fixed);
    await rendersEverySample(fixed, 'unguarded-input', line);
  });

  it('a number inside a string gets ?c, never ?json_string (which keeps the grouping)', async () => {
    const text = templateWith(['"total": "${input.event_properties.order_total}",'], false);
    const diagnostic = await diagnosed(text, 'unescaped-string', '${input.event_properties.order_total}');
    const actions = await fixesFor([diagnostic]);
    const fixed = actions.map((a) => applied(text, a));
    assert.deepStrictEqual(
      fixed.map((f) => f.includes('"total": "${input.event_properties.order_total?c}",')),
      [true],
    );
    assert.strictEqual(actions[0].isPreferred, true);
  });

  it('a request naming one diagnostic gets only its fixes', async () => {
    const text = templateWith(['"city": "${input.city}",']);
    const unescaped = await diagnosed(text, 'unescaped-string', '${input.city}');
    const unguarded = await diagnosed(text, 'unguarded-input', 'city');
    const onlyEscape = await fixesFor([unescaped]);
    assert.deepStrictEqual(
      onlyEscape.map((a) => [a.diagnostics?.[0].code, a.isPreferred]),
      [['unescaped-string', true]],
    );
    assert.ok(applied(text, onlyEscape[0]).includes('"city": "${input.city?json_string}",'));
    const both = await fixesFor([unescaped, unguarded], unescaped.range);
    assert.deepStrictEqual(both.map((a) => a.diagnostics?.[0].code).sort(), ['unescaped-string', 'unguarded-input']);
    assert.deepStrictEqual(await fixesFor([], unescaped.range), []);
  });

  it('a fix for what only the evidence shows: an id grouped inside quotes gets (x?c)!"", preferred', async () => {
    const text = templateWith(['"amp": "${(input.amplitude_id!"")?json_string}",'], false);
    const span = '${(input.amplitude_id!"")?json_string}';
    const diagnostic = await diagnosed(text, 'unformatted-number', span);
    assert.match(diagnostic.message as string, /it printed 501,234,567,890 for 501234567890/);
    const actions = await fixesFor([diagnostic]);
    assert.deepStrictEqual(
      actions.map((a) => [a.isPreferred, a.diagnostics?.[0].code]),
      [[true, 'unformatted-number']],
    );
    const fixed = applied(text, actions[0]);
    const line = '"amp": "${(input.amplitude_id?c)!""}",';
    assert.ok(fixed.includes(line), fixed);
    await rendersEverySample(fixed, 'unformatted-number', line);
  });

  it('two fixes the engine both shows right: neither is preferred', async () => {
    const text = templateWith(['"sessions": [${input.session_id}],']);
    const diagnostic = await diagnosed(text, 'unguarded-input', 'session_id');
    const actions = await fixesFor([diagnostic]);
    const lines = actions.map((a) =>
      applied(text, a)
        .split('\n')
        .find((l) => l.includes('"sessions"'))
        ?.trim(),
    );
    assert.deepStrictEqual(lines.sort(), [
      '"sessions": [${input.session_id!""}],',
      '"sessions": [${input.session_id!0}],',
    ]);
    assert.deepStrictEqual(
      actions.map((a) => a.isPreferred),
      [false, false],
    );
  });
});
