import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  DidChangeConfigurationNotification,
  DidChangeWorkspaceFoldersNotification,
  DocumentFormattingRequest,
  DocumentLinkRequest,
  DocumentRangeFormattingRequest,
  FoldingRangeKind,
  FoldingRangeRequest,
  SelectionRangeRequest,
  type SelectionRange,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { docsUrl } from '../../server/src/diagnostics/codes';
import { fileUri, LspTestClient, REPO } from '../helpers/lspClient';

const PASTED = [
  '// Pasted from the portal: the comment stays.',
  '{',
  '"kind": "event-ingestion",',
  '      "version": "1.0.0", "partnerId": "pasted",',
  ' "connection": {',
  '"displayName": "Pasted", "category": "Analytics",',
  '   "summary": "s", "description": "d", "logo": "logo.png" },',
  '  "setup": { "subtitle": "x", "steps": [ { "text": "one", "image": "step.png" } ] }',
  '}',
  '',
].join('\n');

const BROKEN = JSON.stringify({
  kind: 'cohort-property',
  version: '1.0.0',
  connection: { displayName: 'Closed', category: 'CRM', summary: 's', description: 'd', logo: 'logo.png' },
  authentication: { method: 'none' },
  mappingFields: [{ variable: 'user_id_field_amplitude', label: 'User', displayName: 'User', type: 'string' }],
  endpoints: {
    update: {
      url: 'https://api.closed.example/users',
      method: 'POST',
      payload: { users: '$items', tag: '$never_declared', member: '$amp_cohort_membership' },
      itemTemplate: '$user_id_field_amplitude',
    },
  },
});

function workspaceWith(files: Record<string, string | Buffer>): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'amp-basics-')));
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
  return dir;
}

const PNG = fs.readFileSync(path.join(REPO, 'examples', 'list-based', 'logo.png'));
const undeclared = (d: { code?: unknown }[]) => d.some((x) => x.code === 'undeclared-variable');

describe('editor basics over LSP: format, fold, select, links, live settings, workspace problems', function () {
  this.timeout(60_000);
  let client: LspTestClient;
  let dir: string;

  before(async () => {
    dir = workspaceWith({ 'logo.png': PNG, 'step.png': PNG, 'closed.amplitude.json': BROKEN });
    fs.writeFileSync(path.join(dir, 'pasted.amplitude.json'), PASTED);
    client = new LspTestClient(dir, true, { workspaceFolders: true, initializationOptions: { amplitude: {} } });
    await client.initialize();
    await client.open(fileUri(path.join(dir, 'pasted.amplitude.json')), PASTED);
  });
  after(() => client.stop());

  it("formats a pasted manifest with the editor's indentation, keeping the comment", async () => {
    const uri = fileUri(path.join(dir, 'pasted.amplitude.json'));
    for (const tabSize of [2, 4]) {
      const edits = await client.connection.sendRequest(DocumentFormattingRequest.type, {
        textDocument: { uri },
        options: { tabSize, insertSpaces: true },
      });
      const text = TextDocument.applyEdits(TextDocument.create(uri, 'json', 1, PASTED), edits ?? []);
      const unit = ' '.repeat(tabSize);
      assert.ok(
        text.startsWith(`// Pasted from the portal: the comment stays.\n{\n${unit}"kind": "event-ingestion",\n`),
      );
      assert.ok(text.includes(`\n${unit}"connection": {\n${unit}${unit}"displayName": "Pasted",\n`), text);
      assert.deepEqual(JSON.parse(text.replace(/^\/\/.*$/m, '')), JSON.parse(PASTED.replace(/^\/\/.*$/m, '')));
    }
  });

  it('formats only the selected range', async () => {
    const uri = fileUri(path.join(dir, 'pasted.amplitude.json'));
    const edits = await client.connection.sendRequest(DocumentRangeFormattingRequest.type, {
      textDocument: { uri },
      range: { start: { line: 4, character: 0 }, end: { line: 6, character: 60 } },
      options: { tabSize: 2, insertSpaces: true },
    });
    assert.ok(edits && edits.length > 0);
    for (const edit of edits) assert.ok(edit.range.start.line >= 4 && edit.range.end.line <= 6, JSON.stringify(edit));
  });

  it('folds the objects and arrays, and the leading comment as a comment', async () => {
    const uri = fileUri(path.join(dir, 'pasted.amplitude.json'));
    const ranges = await client.connection.sendRequest(FoldingRangeRequest.type, { textDocument: { uri } });
    assert.ok(
      ranges?.some((r) => r.startLine === 1 && r.endLine >= 7),
      'the whole manifest',
    );
    // The closing brace's line stays visible, as VS Code folds JSON.
    assert.ok(
      ranges?.some((r) => r.startLine === 4 && r.endLine === 5),
      JSON.stringify(ranges),
    );
    const example = fs.readFileSync(path.join(REPO, 'examples', 'list-based', 'pushwave-lists.amplitude.json'), 'utf8');
    const exampleUri = fileUri(path.join(dir, 'example.amplitude.json'));
    await client.open(exampleUri, example);
    const exampleRanges = await client.connection.sendRequest(FoldingRangeRequest.type, {
      textDocument: { uri: exampleUri },
    });
    assert.ok(exampleRanges?.some((r) => r.kind === FoldingRangeKind.Comment && r.startLine === 0 && r.endLine === 1));
  });

  it('expands the selection along the JSON structure: string, property, object, manifest', async () => {
    const uri = fileUri(path.join(dir, 'pasted.amplitude.json'));
    const document = TextDocument.create(uri, 'json', 1, PASTED);
    const [range] =
      (await client.connection.sendRequest(SelectionRangeRequest.type, {
        textDocument: { uri },
        positions: [document.positionAt(PASTED.indexOf('Pasted",') + 2)],
      })) ?? [];
    const texts: string[] = [];
    for (let r: SelectionRange | undefined = range; r; r = r.parent) texts.push(document.getText(r.range));
    assert.ok(texts.includes('"Pasted"'), texts.join(' | '));
    assert.ok(texts.includes('"displayName": "Pasted"'), texts.join(' | '));
    assert.ok(texts.some((t) => t.startsWith('{\n"displayName"') && t.endsWith('}')));
    assert.ok(texts.some((t) => t.startsWith('{\n"kind"')));
  });

  it('links the logo and step images to their files, and refuses a path out of the workspace', async () => {
    const uri = fileUri(path.join(dir, 'pasted.amplitude.json'));
    const links = await client.connection.sendRequest(DocumentLinkRequest.type, { textDocument: { uri } });
    const targets = (links ?? []).map((l) => l.target);
    assert.deepEqual(targets.sort(), [fileUri(path.join(dir, 'logo.png')), fileUri(path.join(dir, 'step.png'))].sort());
    const outside = PASTED.replace('"logo.png"', '"../../etc/passwd"');
    await client.change(uri, outside);
    const after = await client.connection.sendRequest(DocumentLinkRequest.type, { textDocument: { uri } });
    assert.deepEqual(
      (after ?? []).map((l) => l.target),
      [fileUri(path.join(dir, 'step.png'))],
    );
    await client.change(uri, PASTED);
  });

  it('gives every diagnostic code a link to its documentation', async () => {
    const uri = fileUri(path.join(dir, 'opened.amplitude.json'));
    const diagnostics = await client.open(uri, BROKEN);
    assert.ok(diagnostics.length > 0);
    for (const d of diagnostics) assert.equal(d.codeDescription?.href, docsUrl(String(d.code)));
  });

  it('lists the problems of a manifest never opened, and drops them when the setting is turned off, live', async () => {
    const closed = fileUri(path.join(dir, 'closed.amplitude.json'));
    await client.diagnosticsMatching(closed, undeclared);
    void client.connection.sendNotification(DidChangeConfigurationNotification.type, {
      settings: { amplitude: { diagnostics: { workspace: false } } },
    });
    await client.diagnosticsMatching(closed, (d) => d.length === 0);
    void client.connection.sendNotification(DidChangeConfigurationNotification.type, {
      settings: { amplitude: { diagnostics: { workspace: true } } },
    });
    await client.diagnosticsMatching(closed, undeclared);
  });

  it('checks the manifests of a workspace folder added later', async () => {
    const added = workspaceWith({ 'logo.png': PNG, 'later.amplitude.json': BROKEN });
    void client.connection.sendNotification(DidChangeWorkspaceFoldersNotification.type, {
      event: { added: [{ uri: fileUri(added), name: 'added' }], removed: [] },
    });
    await client.diagnosticsMatching(fileUri(path.join(added, 'later.amplitude.json')), undeclared);
  });

  it('a new FreeMarker jar applies without a restart', async () => {
    const template = fileUri(path.join(dir, 'body.ftl'));
    fs.writeFileSync(path.join(dir, 'body.ftl'), '{"e": "${input.event_type?json_string}"}');
    await client.open(template, '{"e": "${input.event_type?json_string}"}');
    void client.connection.sendNotification(DidChangeConfigurationNotification.type, {
      settings: { amplitude: { freemarker: { jarPath: path.join(dir, 'no-such.jar') } } },
    });
    const broken = await client.diagnosticsMatching(template, (d) => d.some((x) => x.code === 'engine-unavailable'));
    assert.match(JSON.stringify(broken.find((x) => x.code === 'engine-unavailable')?.message), /no-such\.jar/);
    void client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { amplitude: {} } });
    await client.diagnosticsMatching(template, (d) => !d.some((x) => x.code === 'engine-unavailable'));
  });
});
