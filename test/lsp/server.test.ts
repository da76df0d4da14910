import * as assert from 'assert';
import {
  CodeLensRequest,
  CompletionRequest,
  CompletionResolveRequest,
  HoverRequest,
  CodeActionRequest,
  DefinitionRequest,
  ReferencesRequest,
  PrepareRenameRequest,
  RenameRequest,
  DocumentSymbolRequest,
  type CompletionItem,
  type CompletionList,
  type Diagnostic,
  type DocumentSymbol,
  type MarkupContent,
  type Position,
  type TextEdit,
  type CodeAction,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LocateRequest, PreviewRequest, VariablesRequest } from '../../server/src/protocol';
import { fileUri, LspTestClient } from '../helpers/lspClient';
import { EXAMPLE_FILES, mutate, readExample } from '../helpers/manifests';

const LIST_URI = fileUri(EXAMPLE_FILES.list);

function positionOf(text: string, needle: string, delta = 0): Position {
  const offset = text.indexOf(needle);
  assert.ok(offset >= 0, `"${needle}" is in the text`);
  return TextDocument.create('x', 'json', 1, text).positionAt(offset + delta);
}

function applyTextEdits(text: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('x', 'json', 1, text), edits);
}

function itemsOf(result: CompletionList | CompletionItem[] | null): CompletionItem[] {
  if (!result) return [];
  return Array.isArray(result) ? result : result.items;
}

/** The edit an LSP client applies for `item`: its own textEdit, or the list's default range with textEditText or the label. */
function editOf(list: CompletionList | CompletionItem[] | null, item: CompletionItem): TextEdit {
  if (item.textEdit && 'range' in item.textEdit) return item.textEdit;
  const range = list && !Array.isArray(list) ? list.itemDefaults?.editRange : undefined;
  assert.ok(range && 'start' in range, 'the list has a default edit range');
  return { range, newText: item.textEditText ?? item.insertText ?? item.label };
}

function textOfRange(text: string, d: Diagnostic): string {
  const doc = TextDocument.create('x', 'json', 1, text);
  return text.slice(doc.offsetAt(d.range.start), doc.offsetAt(d.range.end));
}

describe('language server over LSP (stdio)', () => {
  let client: LspTestClient;

  before(async () => {
    client = new LspTestClient();
    await client.initialize();
  });

  after(async () => {
    await client.stop();
  });

  it('publishes no diagnostics for a valid example', async () => {
    assert.deepStrictEqual(await client.open(LIST_URI, readExample('list')), []);
  });

  it('publishes diagnostics with exact ranges, codes and tags after an edit', async () => {
    const text = mutate(
      mutate(
        readExample('list'),
        '"X-Pushwave-Workspace": "$workspace_id"',
        '"X-Pushwave-Workspace": "$workspace_idd"',
      ),
      '"source": "amplitude"',
      '"source": "$list_id"',
    );
    const diagnostics = await client.change(LIST_URI, text);
    const summary = diagnostics.map((d) => [d.code, d.severity, textOfRange(text, d)]);
    assert.deepStrictEqual(summary, [
      ['unused-variable', 2, 'workspace_id'],
      ['undeclared-variable', 1, '$workspace_idd'],
      ['list-id-unavailable', 1, '$list_id'],
    ]);
    assert.deepStrictEqual(diagnostics[0].tags, [1]);
    assert.strictEqual(diagnostics[0].source, 'amplitude');
  });

  it('completes $variables in a payload with kinds, docs and a replace range', async () => {
    const text = mutate(readExample('list'), '"external_ids": "$items",\n', '"external_ids": "$it",\n');
    await client.change(LIST_URI, text);
    const position = positionOf(text, '"$it"', 4);
    const list = await client.connection.sendRequest(CompletionRequest.type, {
      textDocument: { uri: LIST_URI },
      position,
    });
    const items = itemsOf(list);
    const labels = items.map((i) => i.label);
    for (const expected of [
      '$items',
      '$list_id',
      '$amp_cohort_name',
      '$amp_cohort_id',
      '$amp_cohort_url',
      '$bearer_token',
      '$workspace_id',
      '$region',
      '$user_id_field_amplitude',
    ])
      assert.ok(labels.includes(expected), `${expected} offered`);
    const itemsItem = items.find((i) => i.label === '$items');
    assert.ok(itemsItem);
    const edit = editOf(list, itemsItem);
    assert.deepStrictEqual(edit.range, {
      start: { line: position.line, character: position.character - 3 },
      end: position,
    });
    assert.strictEqual(applyTextEdits(text, [edit]), readExample('list'));
    const resolved = await client.connection.sendRequest(CompletionResolveRequest.type, itemsItem);
    assert.match((resolved.documentation as MarkupContent).value, /batch/);
    const workspace = items.find((i) => i.label === '$workspace_id');
    assert.ok(workspace);
    assert.match(
      (await client.connection.sendRequest(CompletionResolveRequest.type, workspace)).detail ?? '',
      /Custom field · Workspace ID/,
    );
    assert.ok(
      labels.indexOf('$workspace_id') < labels.indexOf('$items') ||
        (workspace.sortText ?? workspace.label) < (itemsItem.sortText ?? itemsItem.label),
      'declared variables sort first',
    );
  });

  it('does not offer $list_id in list creation', async () => {
    const text = mutate(readExample('list'), '"source": "amplitude"', '"source": "$"');
    await client.change(LIST_URI, text);
    const items = itemsOf(
      await client.connection.sendRequest(CompletionRequest.type, {
        textDocument: { uri: LIST_URI },
        position: positionOf(text, '"source": "$"', 12),
      }),
    );
    assert.ok(items.some((i) => i.label === '$amp_cohort_name'));
    assert.ok(!items.some((i) => i.label === '$list_id'));
  });

  it('wraps a variable typed outside a string in quotes, keeping the JSON valid', async () => {
    const text = mutate(readExample('list'), '"external_ids": "$items",\n', '"external_ids": $,\n');
    await client.change(LIST_URI, text);
    const list = await client.connection.sendRequest(CompletionRequest.type, {
      textDocument: { uri: LIST_URI },
      position: positionOf(text, '$,', 1),
    });
    const item = itemsOf(list).find((i) => i.label === '$items');
    assert.ok(item);
    assert.strictEqual(applyTextEdits(text, [editOf(list, item)]), readExample('list'));
  });

  it('gives every item its own edit to a client without item defaults', async () => {
    const plain = new LspTestClient(undefined, false);
    try {
      await plain.initialize();
      const text = mutate(readExample('list'), '"external_ids": "$items",\n', '"external_ids": $,\n');
      await plain.open(LIST_URI, text);
      const list = await plain.connection.sendRequest(CompletionRequest.type, {
        textDocument: { uri: LIST_URI },
        position: positionOf(text, '$,', 1),
      });
      assert.ok(list && !Array.isArray(list) && list.itemDefaults === undefined);
      const item = itemsOf(list).find((i) => i.label === '$items');
      assert.ok(item?.textEdit && 'range' in item.textEdit);
      assert.strictEqual(applyTextEdits(text, [item.textEdit]), readExample('list'));
    } finally {
      await plain.stop();
    }
  });

  it('completes keys and enum values from the schema', async () => {
    const text = mutate(readExample('list'), '"method": "bearer",', '"method": "",');
    await client.change(LIST_URI, text);
    const values = itemsOf(
      await client.connection.sendRequest(CompletionRequest.type, {
        textDocument: { uri: LIST_URI },
        position: positionOf(text, '"method": ""', 11),
      }),
    ).map((i) => i.label);
    for (const method of ['"none"', '"basic"', '"header"', '"bearer"'])
      assert.ok(values.includes(method), `${method} in ${values.join(',')}`);
    const keyText = mutate(
      readExample('list'),
      '"bearerTokenDisplayName": "Pushwave API Token"',
      '"bearerTokenDisplayName": "Pushwave API Token",\n    "": "x"',
    );
    await client.change(LIST_URI, keyText);
    const keys = itemsOf(
      await client.connection.sendRequest(CompletionRequest.type, {
        textDocument: { uri: LIST_URI },
        position: positionOf(keyText, '"": "x"', 1),
      }),
    ).map((i) => i.label);
    assert.ok(keys.includes('apiKeyDisplayName') && keys.includes('apiSecretDisplayName'), keys.join(','));
    assert.ok(!keys.includes('bearerTokenDisplayName'), 'a key already present is not offered again');
  });

  it('hovers keys with the schema docs and variables with their story', async () => {
    const text = readExample('list');
    await client.change(LIST_URI, text);
    const keyHover = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: LIST_URI },
      position: positionOf(text, '"batchSize"', 3),
    });
    assert.match(JSON.stringify(keyHover?.contents), /10,000/);
    const enumHover = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: LIST_URI },
      position: positionOf(text, '"method": "bearer"', 13),
    });
    assert.match((enumHover?.contents as MarkupContent).value, /Authorization: Bearer/);
    const nestedKeyHover = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: LIST_URI },
      position: positionOf(text, '"subErrorCode"', 3),
    });
    assert.match((nestedKeyHover?.contents as MarkupContent).value, /Sub error code/);
    const varHover = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: LIST_URI },
      position: positionOf(text, '"X-Pushwave-Workspace": "$workspace_id"', 30),
    });
    const value = (varHover?.contents as MarkupContent).value;
    assert.match(value, /Custom field · Workspace ID/);
    assert.match(value, /Used 1 time/);
    const predefinedHover = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: LIST_URI },
      position: positionOf(text, '$list_id/members"', 2),
    });
    assert.match((predefinedHover?.contents as MarkupContent).value, /pre-defined by Amplitude/);
  });

  async function fixAndRevalidate(text: string, code: string, title: RegExp): Promise<string> {
    const diagnostics = await client.change(LIST_URI, text);
    const diagnostic = diagnostics.find((d) => d.code === code);
    assert.ok(diagnostic, `${code} is reported`);
    const actions = await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: LIST_URI },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic] },
    });
    const action = (actions ?? []).find((a): a is CodeAction => 'title' in a && title.test(a.title));
    assert.ok(
      action?.edit?.changes,
      `an action matching ${String(title)} among ${(actions ?? []).map((a) => a.title).join(' | ')}`,
    );
    const fixed = applyTextEdits(text, action.edit.changes[LIST_URI]);
    const after = await client.change(LIST_URI, fixed);
    assert.ok(!after.some((d) => d.code === code), `${code} is gone after "${action.title}"`);
    return fixed;
  }

  it('code action: remove an unused declaration', async () => {
    await fixAndRevalidate(
      mutate(readExample('list'), '"X-Pushwave-Workspace": "$workspace_id"', '"X-Pushwave-Workspace": "w"'),
      'unused-variable',
      /Remove the unused custom field/,
    );
  });

  it('code action: declare a missing variable as a custom field', async () => {
    const fixed = await fixAndRevalidate(
      mutate(readExample('list'), '"source": "amplitude"', '"source": "$campaign"'),
      'undeclared-variable',
      /Declare \$campaign as a custom field/,
    );
    assert.match(fixed, /"variable": "campaign"/);
  });

  it('code action: $api-key -> $api_key', async () => {
    const text = mutate(
      mutate(readExample('list'), '"method": "bearer",', '"method": "header",'),
      '"Content-Type": "application/json",',
      '"Content-Type": "application/json",\n    "Authorization": "App $api-key",',
    );
    const fixed = await fixAndRevalidate(text, 'variable-dash', /Change to \$api_key/);
    assert.match(fixed, /"App \$api_key"/);
  });

  it('code action: alias -> canonical name', async () => {
    await fixAndRevalidate(
      mutate(readExample('list'), 'audiences/$list_id/members"', 'audiences/$listId/members"'),
      'predefined-alias',
      /Use \$list_id/,
    );
  });

  it('code action: add the common classifications 200/400/401/404/429', async () => {
    const text = mutate(
      readExample('list'),
      '"itemTemplate": "$user_id_field_amplitude",\n      "copyErrorsFrom": "listCreation"\n    }\n  }',
      '"itemTemplate": "$user_id_field_amplitude"\n    }\n  }',
    );
    const fixed = await fixAndRevalidate(text, 'no-error-classifications', /common error classifications/);
    for (const status of [200, 400, 401, 404, 429]) assert.ok(fixed.includes(`"status": ${status}`));
  });

  it('go to definition, find references and rename a custom field variable', async () => {
    const text = readExample('list');
    await client.change(LIST_URI, text);
    const use = positionOf(text, 'api.$region.pushwave.example/v2/audiences",', 6);
    const definition = await client.connection.sendRequest(DefinitionRequest.type, {
      textDocument: { uri: LIST_URI },
      position: use,
    });
    assert.ok(definition && !Array.isArray(definition) && 'range' in definition);
    assert.deepStrictEqual(definition.range.start, positionOf(text, '"variable": "region"', 13));
    const references = await client.connection.sendRequest(ReferencesRequest.type, {
      textDocument: { uri: LIST_URI },
      position: use,
      context: { includeDeclaration: true },
    });
    assert.strictEqual(references?.length, 4);
    const prepared = await client.connection.sendRequest(PrepareRenameRequest.type, {
      textDocument: { uri: LIST_URI },
      position: use,
    });
    assert.ok(prepared && 'placeholder' in prepared);
    assert.strictEqual(prepared.placeholder, 'region');
    const rename = await client.connection.sendRequest(RenameRequest.type, {
      textDocument: { uri: LIST_URI },
      position: use,
      newName: 'data_center',
    });
    const renamed = applyTextEdits(text, rename?.changes?.[LIST_URI] ?? []);
    assert.strictEqual((renamed.match(/\$data_center/g) ?? []).length, 3);
    assert.ok(renamed.includes('"variable": "data_center"'));
    assert.deepStrictEqual(await client.change(LIST_URI, renamed), []);
  });

  it('refuses to rename a pre-defined variable, with a reason', async () => {
    const text = readExample('list');
    await client.change(LIST_URI, text);
    await assert.rejects(
      client.connection.sendRequest(PrepareRenameRequest.type, {
        textDocument: { uri: LIST_URI },
        position: positionOf(text, '$list_id/members"', 2),
      }),
      /pre-defined by Amplitude/,
    );
  });

  it('offers Test and Show request CodeLenses per endpoint and a Simulate lens', async () => {
    const text = readExample('list');
    await client.change(LIST_URI, text);
    const lenses = await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: LIST_URI } });
    assert.deepStrictEqual(
      lenses?.map((l) => [l.command?.command, ...(l.command?.arguments ?? [])]),
      [
        ['amplitude.testEndpoint', LIST_URI, 'listCreation'],
        ['amplitude.showRequest', LIST_URI, 'listCreation'],
        ['amplitude.testEndpoint', LIST_URI, 'addUsers'],
        ['amplitude.showRequest', LIST_URI, 'addUsers'],
        ['amplitude.testEndpoint', LIST_URI, 'removeUsers'],
        ['amplitude.showRequest', LIST_URI, 'removeUsers'],
        ['amplitude.simulateSync', LIST_URI],
      ],
    );
    assert.strictEqual(
      lenses?.[0].range.start.line,
      text.split('\n').findIndex((l) => l.includes('"listCreation": {')),
    );
  });

  it("lists document symbols in the portal's words", async () => {
    const text = readExample('list');
    await client.change(LIST_URI, text);
    const symbols = (await client.connection.sendRequest(DocumentSymbolRequest.type, {
      textDocument: { uri: LIST_URI },
    })) as DocumentSymbol[];
    const names = symbols.map((s) => s.name);
    assert.ok(names.includes('Connection') && names.includes('Custom fields') && names.includes('Endpoints'));
    const endpoints = symbols.find((s) => s.name === 'Endpoints');
    assert.deepStrictEqual(
      endpoints?.children?.map((c) => c.name),
      ['List creation', 'Add users', 'Remove users'],
    );
    assert.strictEqual(endpoints?.children?.[0].children?.[2].name, '400 Audience limit reached');
  });

  it('answers the variables table request (DECLARED / USED / PRE-DEFINED)', async () => {
    const text = mutate(readExample('list'), '"source": "amplitude"', '"source": "$ghost"');
    await client.change(LIST_URI, text);
    const table = await client.request(VariablesRequest, { uri: LIST_URI });
    assert.ok(table);
    assert.deepStrictEqual(
      table.declared.map((d) => `${d.source}:${d.name}:${d.used}`),
      [
        'authentication:bearer_token:true',
        'customField:workspace_id:true',
        'customField:region:true',
        'mappingField:user_id_field_amplitude:true',
      ],
    );
    assert.strictEqual(table.used.find((u) => u.name === 'ghost')?.status, 'undeclared');
    assert.strictEqual(table.used.find((u) => u.name === 'items')?.status, 'predefined');
    assert.deepStrictEqual(
      table.predefined.filter((p) => !p.used).map((p) => p.name),
      [],
    );
  });

  it('answers the preview request from its analysis, and locates a field for click-to-reveal', async () => {
    const text = readExample('list');
    await client.change(LIST_URI, text);
    const answer = await client.request(PreviewRequest, { uri: LIST_URI });
    assert.ok(answer);
    assert.strictEqual(answer.broken, false);
    assert.strictEqual(answer.model.displayName, 'Pushwave');
    const region = answer.model.fields.find((f) => f.label === 'Data Center');
    assert.ok(region, JSON.stringify(answer.model.fields.map((f) => f.label)));
    const range = await client.request(LocateRequest, {
      uri: LIST_URI,
      path: region.path,
    });
    assert.ok(range);
    assert.match(textOfRange(text, { range } as Diagnostic), /^\{\s*"variable": "region"/);

    const broken = text.replace('"kind": "cohort-list",', '"kind": "cohort-list"');
    await client.change(LIST_URI, broken);
    const stale = await client.request(PreviewRequest, { uri: LIST_URI });
    assert.ok(stale);
    assert.strictEqual(stale.broken, true);
    assert.match(stale.errors[0], /^Line \d+: A comma is expected/);
    await client.change(LIST_URI, text);
  });

  it('answers requests for documents it does not know', async () => {
    const hover = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: 'file:///nowhere.amplitude.json' },
      position: { line: 0, character: 0 },
    });
    assert.strictEqual(hover, null);
    assert.strictEqual(await client.request(PreviewRequest, { uri: 'file:///nowhere.amplitude.json' }), null);
    assert.strictEqual(
      await client.request(LocateRequest, { uri: 'file:///nowhere.amplitude.json', path: ['kind'] }),
      null,
    );
  });
});
