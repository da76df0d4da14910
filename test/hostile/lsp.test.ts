import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import {
  CodeActionRequest,
  CodeActionResolveRequest,
  CompletionRequest,
  HoverRequest,
  PrepareRenameRequest,
  RenameRequest,
  type CodeAction,
} from 'vscode-languageserver-protocol/node';
import { fileUri, LspTestClient } from '../helpers/lspClient';
import { EXAMPLE_FILES, mutate, readExample } from '../helpers/manifests';

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/** The list example with `count` undeclared `$variables` in one payload string (what a bad paste looks like). */
function manyUndeclared(count: number): string {
  const names = Array.from({ length: count }, (_, i) => `$undeclared_${i}`).join(' ');
  return mutate(readExample('list'), '"source": "amplitude",', `"source": "${names}",`);
}

function wholeDocument(text: string) {
  const lines = text.split('\n');
  return { start: { line: 0, character: 0 }, end: { line: lines.length, character: 0 } };
}

describe('hostile input: the language server stays answering, in bounded time and memory', function () {
  this.timeout(120_000);
  let client: LspTestClient;
  const uri = fileUri(path.join(path.dirname(EXAMPLE_FILES.list), 'hostile.amplitude.json'));

  before(async () => {
    client = new LspTestClient(undefined, true, { codeActionResolve: true });
    await client.initialize();
  });
  after(() => client.stop());

  it('a whole-document code action over 20,000 undeclared variables is answered within 5 s, under 500 MB', async () => {
    const text = manyUndeclared(20_000);
    const diagnostics = await client.open(uri, text);
    assert.ok(
      diagnostics.filter((d) => d.code === 'undeclared-variable').length === 20_000,
      `${diagnostics.length} diagnostics`,
    );
    const started = Date.now();
    const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: wholeDocument(text),
      context: { diagnostics: [] },
    })) as CodeAction[];
    const ms = Date.now() - started;
    assert.ok(ms < 5000, `answered in ${ms} ms`);
    assert.ok(actions.length > 0 && actions.length <= 200, `${actions.length} actions`);
    assert.ok(
      actions.every((a) => a.edit === undefined && a.data !== undefined),
      'edits are resolved lazily',
    );
    const resolved = await client.connection.sendRequest(CodeActionResolveRequest.type, actions[0]);
    assert.ok(resolved.edit?.changes?.[uri]?.length, 'the chosen action resolves to an edit');
    assert.strictEqual(client.exited, undefined, 'the server died');
    const rss = rssMb(client.process.pid ?? 0);
    assert.ok(rss < 500, `server RSS ${rss.toFixed(0)} MB`);
  });

  it('a client that cannot resolve gets edits, for at most 100 diagnostics, still quickly', async () => {
    const plain = new LspTestClient();
    try {
      await plain.initialize();
      const text = manyUndeclared(20_000);
      await plain.open(uri, text);
      const started = Date.now();
      const actions = (await plain.connection.sendRequest(CodeActionRequest.type, {
        textDocument: { uri },
        range: wholeDocument(text),
        context: { diagnostics: [] },
      })) as CodeAction[];
      assert.ok(Date.now() - started < 10_000, `${Date.now() - started} ms`);
      assert.ok(actions.length > 0 && actions.every((a) => a.edit !== undefined));
    } finally {
      await plain.stop();
    }
  });

  it('renaming to a pre-defined name is refused', async () => {
    const text = readExample('list');
    await client.change(uri, text);
    const offset = text.indexOf('"workspace_id"') + 3;
    const before = text.slice(0, offset).split('\n');
    const position = { line: before.length - 1, character: before[before.length - 1].length };
    await client.connection.sendRequest(PrepareRenameRequest.type, { textDocument: { uri }, position });
    for (const newName of ['items', 'list_id', 'listId', 'amp_cohort_name']) {
      await assert.rejects(
        client.connection.sendRequest(RenameRequest.type, { textDocument: { uri }, position, newName }),
        /pre-defined/,
        newName,
      );
    }
  });

  it('a soak of 3,000 mixed requests is fully answered', async () => {
    const text = readExample('list');
    await client.change(uri, text);
    const lines = text.split('\n');
    const requests: Promise<unknown>[] = [];
    for (let i = 0; i < 3000; i++) {
      const line = i % lines.length;
      const position = { line, character: Math.min(lines[line].length, (i * 7) % 40) };
      const params = { textDocument: { uri }, position };
      if (i % 3 === 0) requests.push(client.connection.sendRequest(HoverRequest.type, params));
      else if (i % 3 === 1) requests.push(client.connection.sendRequest(CompletionRequest.type, params));
      else {
        const range = { start: position, end: position };
        requests.push(
          client.connection.sendRequest(CodeActionRequest.type, {
            textDocument: { uri },
            range,
            context: { diagnostics: [] },
          }),
        );
      }
    }
    const settled = await Promise.allSettled(requests);
    assert.strictEqual(settled.filter((s) => s.status === 'fulfilled').length, 3000);
    assert.strictEqual(client.exited, undefined);
  });
});
