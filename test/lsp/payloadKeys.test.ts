import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  CompletionRequest,
  HoverRequest,
  type CompletionList,
  type MarkupContent,
} from 'vscode-languageserver-protocol';
import { CONTRACT_FIXTURES } from '../contract/helpers';
import { fileUri, LspTestClient } from '../helpers/lspClient';

/**
 * Payload keys from the partner's API description over a real LSP connection: the corpus's Klaviyo manifest
 * (its description modelled on Klaviyo's published OpenAPI document) in a workspace of its own.
 */
describe('payload keys from the API description (LSP)', () => {
  let root: string;
  let client: LspTestClient;

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'payload-keys-lsp-'));
    fs.cpSync(path.join(CONTRACT_FIXTURES, 'klaviyo-lists'), root, { recursive: true });
    client = new LspTestClient(root);
    await client.initialize();
  });

  after(async () => {
    await client.stop();
  });

  function position(text: string, offset: number) {
    const before = text.slice(0, offset).split('\n');
    return { line: before.length - 1, character: before[before.length - 1].length };
  }

  it('completes the request schema keys inside a payload, and hovers them', async () => {
    const file = path.join(root, 'klaviyo-lists.amplitude.json');
    const uri = fileUri(file);
    const text = fs
      .readFileSync(file, 'utf8')
      .replace('"attributes": { "name": "$amp_cohort_name" }', '"attributes": {  }');
    await client.open(uri, text);
    const cursor = text.indexOf('"attributes": {  }') + '"attributes": { '.length;
    const list = (await client.connection.sendRequest(CompletionRequest.type, {
      textDocument: { uri },
      position: position(text, cursor),
    })) as CompletionList;
    const name = list.items.find((i) => i.label === 'name');
    assert.ok(name, JSON.stringify(list.items.map((i) => i.label)));
    assert.strictEqual(name.detail, 'string (required)');
    assert.match((name.documentation as MarkupContent).value, /A helpful name to label the list/);
    assert.deepStrictEqual(name.textEdit && 'range' in name.textEdit ? name.textEdit.newText : undefined, '"name": ""');
    assert.ok(!list.items.some((i) => i.label === 'listIdPath'), 'the manifest schema keys are not offered inside it');

    const onData = text.indexOf('"data": "$items"') + 2;
    const hover = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri },
      position: position(text, onData),
    });
    const value = (hover?.contents as MarkupContent | undefined)?.value ?? '';
    assert.match(value, /\*\*data\*\*: `array of object`, required/);
    assert.match(value, /At most 1000 items\./);
    assert.match(value, /POST \/api\/lists\/\{id\}\/relationships\/profiles \(create_list_relationships\)/);
  });
});
