import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DidChangeWatchedFilesNotification, FileChangeType } from 'vscode-languageserver-protocol';
import { fixture, PARTNERS } from '../contract/helpers';
import { fileUri, LspTestClient } from '../helpers/lspClient';

/** The editor's contract checks over a real LSP connection: published when the description is loaded, and again when it changes. */
describe('contract checks in the editor (LSP)', () => {
  let root: string;
  let client: LspTestClient;

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'contract-lsp-'));
    fs.cpSync(path.dirname(fixture('klaviyo', 'openapi.yaml')), root, { recursive: true });
    client = new LspTestClient(root);
    await client.initialize();
  });

  after(async () => {
    await client.stop();
  });

  it('"contract-method" is published on the method once the description is loaded, and follows the file', async () => {
    const file = path.join(root, 'klaviyo-lists.amplitude.json');
    const uri = fileUri(file);
    // Two mistakes: PUT where the path has POST and DELETE, and the required revision header left out.
    const text = fs
      .readFileSync(file, 'utf8')
      .replace(
        '"method": "POST",\n      "payload": { "data": "$items" }',
        '"method": "PUT",\n      "payload": { "data": "$items" }',
      )
      .replace('"revision": "2024-10-15",\n', '');
    const hasCode = (code: string) => (d: { code?: string | number }[]) => d.some((x) => x.code === code);
    const found = client.diagnosticsMatching(
      uri,
      (d) => hasCode('contract-method')(d) && hasCode('contract-parameter')(d),
    );
    void client.open(uri, text);
    const diagnostics = await found;
    const method = diagnostics.filter((d) => d.code === 'contract-method');
    assert.equal(method.length, 1);
    const line = text.split('\n').findIndex((l) => l.includes('"method": "PUT"'));
    assert.equal(method[0].range.start.line, line);
    assert.match(
      method[0].message as string,
      /Add users sends PUT, but "Klaviyo-like Lists API" has .* only with POST, DELETE/,
    );

    // The description changes on disk: PUT is now documented, and that finding goes (the other one stays: checked again).
    const spec = path.join(root, 'openapi.yaml');
    fs.writeFileSync(
      spec,
      fs
        .readFileSync(spec, 'utf8')
        .replace(
          '    delete:\n      operationId: remove_profiles_from_list',
          [
            '    put:',
            '      operationId: replace_profiles_in_list',
            '      responses:',
            "        '204': { description: Success }",
            '    delete:',
            '      operationId: remove_profiles_from_list',
          ].join('\n'),
        ),
    );
    const cleared = client.diagnosticsMatching(
      uri,
      (d) => !hasCode('contract-method')(d) && hasCode('contract-parameter')(d),
    );
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: fileUri(spec), type: FileChangeType.Changed }],
    });
    const after = await cleared;
    assert.deepEqual(
      after.filter((d) => String(d.code).startsWith('contract-')).map((d) => d.code),
      ['contract-parameter'],
    );
  });

  it('"contract-body-type" on a streaming body the engine renders: on bodyTemplate, published when ready', async function () {
    this.timeout(60_000);
    const dir = path.join(root, 'iterable');
    fs.cpSync(path.join(PARTNERS, 'iterable-events'), dir, { recursive: true });
    fs.copyFileSync(fixture('iterable', 'events-track.yaml'), path.join(dir, 'events-track.yaml'));
    const template = path.join(dir, 'track.ftl');
    const ftl = fs.readFileSync(template, 'utf8');
    fs.writeFileSync(template, ftl.replace('"createdAt": ${', '"createdAt": "${').replace('?floor?c},', '?floor?c}",'));
    const file = path.join(dir, 'iterable-events.amplitude.json');
    const text = fs
      .readFileSync(file, 'utf8')
      .replace('"kind": "event-streaming",', '"kind": "event-streaming",\n  "apiDescription": "events-track.yaml",');
    const uri = fileUri(file);
    const found = client.diagnosticsMatching(uri, (d) => d.some((x) => x.code === 'contract-body-type'));
    void client.open(uri, text);
    const diagnostics = (await found).filter((d) => String(d.code).startsWith('contract-'));
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.range.start.line]),
      [['contract-body-type', text.split('\n').findIndex((l) => l.includes('"bodyTemplate"'))]],
    );
  });
});
