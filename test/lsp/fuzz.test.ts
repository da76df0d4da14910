import * as assert from 'assert';
import {
  CompletionRequest,
  HoverRequest,
  CodeActionRequest,
  DocumentSymbolRequest,
} from 'vscode-languageserver-protocol/node';
import { fileUri, LspTestClient } from '../helpers/lspClient';
import { EXAMPLE_FILES, readExample } from '../helpers/manifests';
import { seededRandom } from '../../server/src/base/random';

const SEED = Number(process.env.FUZZ_SEED ?? 20261122);
const EDITS = Number(process.env.FUZZ_EDITS ?? 2000);

describe(`fuzz: the server survives random edits and answers every request (seed ${SEED}, ${EDITS} edits)`, () => {
  it('never exits and answers every request', async function () {
    this.timeout(240_000);
    const client = new LspTestClient();
    await client.initialize();
    const uri = fileUri(EXAMPLE_FILES.list).replace('.amplitude.json', '.fuzz.amplitude.json');
    const rand = seededRandom(SEED);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)];
    const seeds = (Object.keys(EXAMPLE_FILES) as (keyof typeof EXAMPLE_FILES)[]).map(readExample);
    const specials = [
      '{"kind": "cohort-list", "x": ' + '['.repeat(10000) + ']'.repeat(10000) + '}',
      '{"kind": "cohort-list", "connection": {"displayName": "' + 'a$items'.repeat(1_500_000) + '"}}',
      '',
      '\u0000\uffff',
      '{"endpoints": {"addUsers": {"payload": "$' + '-x'.repeat(5000) + '"}}}',
    ];
    let text = seeds[0];
    await client.open(uri, text);
    let answered = 0;
    for (let i = 0; i < EDITS; i++) {
      const r = rand();
      if (r < 0.05) text = pick(seeds);
      else if (r < 0.06) text = pick(specials);
      else if (r < 0.3) text = text.slice(0, Math.floor(rand() * text.length));
      else if (r < 0.6) {
        const at = Math.floor(rand() * (text.length + 1));
        const insert = pick([
          '$',
          '"',
          '{',
          '}',
          '[',
          ']',
          ',',
          ':',
          '$items',
          '$api-key',
          '\\',
          '//',
          '/*',
          String.fromCharCode(Math.floor(rand() * 0xffff)),
          '"$x"',
          'null',
          '-1e999',
        ]);
        text = text.slice(0, at) + insert + text.slice(at);
      } else {
        const at = Math.floor(rand() * text.length);
        text = text.slice(0, at) + text.slice(at + 1 + Math.floor(rand() * 20));
      }
      client.changeNoWait(uri, text);
      if (i % 10 === 0) {
        const line = Math.floor(rand() * 40);
        const position = { line, character: Math.floor(rand() * 60) };
        const requests = [
          client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position }),
          client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position }),
          client.connection.sendRequest(CodeActionRequest.type, {
            textDocument: { uri },
            range: { start: position, end: position },
            context: { diagnostics: [] },
          }),
          client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } }),
        ];
        await Promise.all(requests);
        answered += requests.length;
      }
    }
    const final = await client.change(uri, seeds[0]);
    assert.deepStrictEqual(final, [], 'the server still validates correctly after the storm');
    assert.strictEqual(client.exited, undefined, `the server did not exit; stderr: ${client.stderr.slice(0, 500)}`);
    assert.strictEqual(answered, Math.ceil(EDITS / 10) * 4);
    await client.stop();
  });
});
