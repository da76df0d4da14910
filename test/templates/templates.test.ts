import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import {
  CodeActionRequest,
  CompletionRequest,
  HoverRequest,
  type CodeAction,
  type CompletionItem,
  type CompletionList,
  type Diagnostic,
  type MarkupContent,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { RenderTemplateRequest } from '../../server/src/protocol';
import { fileUri, LspTestClient, REPO } from '../helpers/lspClient';

const TEMPLATE = path.join(REPO, 'examples', 'event-streaming', 'body.ftl');
const URI = fileUri(TEMPLATE);
const ORIGINAL = fs.readFileSync(TEMPLATE, 'utf8');

function items(result: CompletionList | CompletionItem[] | null): string[] {
  if (!result) return [];
  return (Array.isArray(result) ? result : result.items).map((i) => i.label);
}

function at(text: string, needle: string, delta = 0) {
  const offset = text.indexOf(needle);
  assert.ok(offset >= 0, needle);
  return TextDocument.create('x', 'ftl', 1, text).positionAt(offset + delta);
}

function messageOf(d: Diagnostic | undefined): string {
  if (!d) return '';
  return typeof d.message === 'string' ? d.message : d.message.value;
}

function textOf(text: string, d: Diagnostic): string {
  const doc = TextDocument.create('x', 'ftl', 1, text);
  return text.slice(doc.offsetAt(d.range.start), doc.offsetAt(d.range.end));
}

describe('event body templates over LSP (with the real engine)', () => {
  let client: LspTestClient;
  before(async () => {
    client = new LspTestClient(path.join(REPO, 'examples'));
    await client.initialize();
    await client.open(URI, ORIGINAL);
  });
  after(() => client.stop());

  const change = (text: string) => {
    client.changeNoWait(URI, text);
    return text;
  };

  it('the documented template gets no diagnostic from the engine or the checks', async () => {
    await client.diagnosticsMatching(URI, (d) => d.length === 0);
    const rendered = await client.request(RenderTemplateRequest, {
      uri: URI,
      sample: 'Email Click',
    });
    assert.ok(rendered.ok, rendered.error?.message);
    assert.strictEqual(rendered.engineVersion, '2.3.31');
    assert.strictEqual(
      (JSON.parse(rendered.output ?? '') as { events: { name: string }[] }).events[0].name,
      'Email Click',
    );
  });

  it('a parameter or mapped field the manifest does not declare', async () => {
    const text = change(
      ORIGINAL.replace('${parameters.app_id?json_string}', '${parameters.tenant?json_string}').replace(
        '${(mappedFields.email!"")?json_string}',
        '${(mappedFields.mail!"")?json_string}',
      ),
    );
    const found = await client.diagnosticsMatching(URI, (d) => d.some((x) => x.code === 'undeclared-parameter'));
    assert.deepStrictEqual(
      found.filter((d) => d.code !== 'output-not-json').map((d) => [d.code, textOf(text, d)]),
      [
        ['undeclared-parameter', 'tenant'],
        ['undeclared-mapped-field', 'mail'],
      ],
    );
  });

  it('an unguarded input field, with a fix that adds a default', async () => {
    const text = change(
      ORIGINAL.replace(
        '"name": "${input.event_type?json_string}",',
        '"name": "${input.event_type?json_string}",\n      "city": "${input.city?json_string}",',
      ),
    );
    const found = await client.diagnosticsMatching(URI, (d) => d.some((x) => x.code === 'unguarded-input'));
    const diagnostic = found.find((d) => d.code === 'unguarded-input') as Diagnostic;
    assert.strictEqual(textOf(text, diagnostic), 'city');
    const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: URI },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic] },
    })) as CodeAction[];
    const edit = actions[0]?.edit?.changes?.[URI];
    assert.ok(edit);
    const fixed = TextDocument.applyEdits(TextDocument.create('x', 'ftl', 1, text), edit);
    assert.ok(fixed.includes('${(input.city!"")?json_string}'), fixed);
    change(fixed);
    await client.diagnosticsMatching(URI, (d) => d.length === 0);
  });

  it('numbers and structures Amplitude does not send: flagged in code, never in text or comments', async () => {
    const lines = [
      '"total": ${mappedProperties.price?number * 2},',
      '"tags": "${mappedProperties.tags?join(",")}",',
      '<#if mappedProperties["quantity"] gt 1>"bulk": true,</#if>',
      '"city": "${(input.user_properties.address.city)!""}",',
      '<#-- not code: mappedProperties.price * 2, mappedProperties.tags?size, parameters.tenant -->',
      '"note": "mappedProperties.price - 1 and input.event_properties.cities[0] are only text here",',
      '"plan": ${mappedProperties.plan!"\\"\\""},',
    ];
    const text = change(
      ORIGINAL.replace(
        '"name": "${input.event_type?json_string}",',
        `"name": "\${input.event_type?json_string}",\n      ${lines.join('\n      ')}`,
      ),
    );
    const codes = new Set(['string-property-arithmetic', 'unforwarded-structure', 'undeclared-parameter']);
    const found = await client.diagnosticsMatching(URI, (d) => d.filter((x) => codes.has(String(x.code))).length >= 4);
    const flagged = found.filter((d) => codes.has(String(d.code)));
    assert.deepStrictEqual(
      flagged.map((d) => [d.code, textOf(text, d)]),
      [
        ['string-property-arithmetic', 'mappedProperties.price'],
        ['unforwarded-structure', 'mappedProperties.tags'],
        ['string-property-arithmetic', 'mappedProperties["quantity"]'],
        ['unforwarded-structure', 'input.user_properties.address'],
      ],
    );
    // Each says what Amplitude sends instead.
    assert.match(messageOf(flagged[0]), /sends every forwarded custom property as a string/);
    assert.match(messageOf(flagged[1]), /does not forward array or object properties/);
  });

  it("an engine syntax error at the engine's line", async () => {
    change(ORIGINAL.replace('</#list>', ''));
    const found = await client.diagnosticsMatching(URI, (d) => d.some((x) => x.code === 'template-syntax'));
    const diagnostic = found.find((d) => d.code === 'template-syntax') as Diagnostic;
    assert.match(messageOf(diagnostic), /#list/);
    assert.ok(diagnostic.range.start.line >= 10, `line ${diagnostic.range.start.line}`);
  });

  it('output that is not JSON for the sample events', async () => {
    change(ORIGINAL.replace('<#sep>,</#sep>', ','));
    const found = await client.diagnosticsMatching(URI, (d) => d.some((x) => x.code === 'output-not-json'));
    assert.match(messageOf(found.find((d) => d.code === 'output-not-json')), /not valid JSON[\s\S]*Output for/);
  });

  it('completes input fields, declared parameters, built-ins with their version, directives', async () => {
    const text = change(
      ORIGINAL.replace('${input.event_type?json_string}', '${input.}').replace(
        '${parameters.app_id?json_string}',
        '${parameters.}',
      ),
    );
    const fields = items(
      await client.connection.sendRequest(CompletionRequest.type, {
        textDocument: { uri: URI },
        position: at(text, '${input.}', 8),
      }),
    );
    for (const f of ['user_id', 'event_type', 'device_id', 'event_properties', 'country'])
      assert.ok(fields.includes(f), f);
    const parameters = items(
      await client.connection.sendRequest(CompletionRequest.type, {
        textDocument: { uri: URI },
        position: at(text, '${parameters.}', 13),
      }),
    );
    assert.deepStrictEqual(parameters, ['region', 'api_key', 'app_id']);
    const builtins = await client.connection.sendRequest(CompletionRequest.type, {
      textDocument: { uri: URI },
      position: at(text, '?keys', 1),
    });
    const filter = (Array.isArray(builtins) ? builtins : (builtins?.items ?? [])).find((i) => i.label === 'filter');
    assert.match(filter?.detail ?? '', /2\.3\.29/);
    const builtinLabels = items(builtins);
    for (const name of ['switch', 'keep_before', 'iso_utc']) assert.ok(builtinLabels.includes(name), name);
    const directives = items(
      await client.connection.sendRequest(CompletionRequest.type, {
        textDocument: { uri: URI },
        position: at(text, '<#list', 2),
      }),
    );
    assert.ok(directives.includes('list') && directives.includes('sep'));
    for (const name of ['noparse', 'local', 'ftl']) assert.ok(directives.includes(name), name);
    assert.ok(fields.includes('location_lat') && fields.includes('paying'), "the export API's fields");
  });

  it('hovers the data model', async () => {
    change(ORIGINAL);
    const hover = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: URI },
      position: at(ORIGINAL, 'mappedProperties?keys', 3),
    });
    assert.match((hover?.contents as MarkupContent).value, /JSON string literal/);
    const builtin = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: URI },
      position: at(ORIGINAL, '?filter', 2),
    });
    assert.match((builtin?.contents as MarkupContent).value, /2\.3\.29/);
  });
});
