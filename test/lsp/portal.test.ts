import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DiffRequest, ImportRequest, PortalSheetRequest } from '../../server/src/protocol';
import { releaseRepository } from '../helpers/git';
import { fileUri, LspTestClient } from '../helpers/lspClient';
import { EXAMPLE_FILES, mutate, readExample } from '../helpers/manifests';

describe('portal hand-off and release comparison over LSP', function () {
  this.timeout(60_000);
  let client: LspTestClient;
  let dir: string;
  let uri: string;

  before(async () => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'amp-lsp-portal-')));
    fs.cpSync(path.dirname(EXAMPLE_FILES.list), dir, { recursive: true });
    releaseRepository(dir, 'v1.2.1');
    client = new LspTestClient(dir);
    await client.initialize();
    uri = fileUri(path.join(dir, path.basename(EXAMPLE_FILES.list)));
    await client.open(uri, readExample('list'));
  });
  after(() => client.stop());

  it('answers the portal sheet of an open manifest, with test values but never a secret', async () => {
    const sheet = await client.request(PortalSheetRequest, {
      uri,
      values: { workspace_id: 'ws-42', bearer_token: 'SECRET' },
    });
    assert.ok(sheet);
    assert.equal(sheet.displayName, 'Pushwave');
    const test = sheet.sections.find((s) => s.title === "Values for the portal's test");
    assert.ok(test?.fields.some((f) => f.value === 'ws-42'));
    assert.ok(!JSON.stringify(sheet).includes('SECRET'));
  });

  it('imports a payload and a cURL command', async () => {
    const payload = await client.request(ImportRequest, { text: '{"ids": $items}', what: 'payload' });
    assert.deepEqual(payload, { ok: true, fragment: { payload: { ids: '$items' } }, notes: [] });
    const broken = await client.request(ImportRequest, { text: 'curl', what: 'curl' });
    assert.equal(broken.ok, false);
    const token = 'sk_live_Zy81';
    const curl = `curl https://api.x.example/v1/lists -H 'Authorization: Bearer ${token}' -d '{"n": 1}'`;
    const imported = await client.request(ImportRequest, { text: curl, what: 'curl', endpoint: 'listCreation' });
    assert.ok(imported.ok && !JSON.stringify(imported).includes(token), JSON.stringify(imported));
    assert.deepEqual(imported.fragment.authentication, { method: 'bearer' });
  });

  it('compares with the newest tag and classifies the change', async () => {
    await client.change(uri, mutate(readExample('list'), '"listIdPath": "audience.id"', '"listIdPath": "data.id"'));
    const answer = await client.request(DiffRequest, { uri });
    assert.ok(answer.ok, JSON.stringify(answer));
    assert.equal(answer.base, 'v1.2.1');
    assert.deepEqual(answer.tags, ['v1.2.1']);
    const breaking = answer.changes.find((c) => c.impact === 'breaking');
    assert.match(breaking?.message ?? '', /list id changed/);
    assert.ok((breaking?.range.start.line ?? 0) > 0, 'located in the manifest');
    const refused = await client.request(DiffRequest, { uri, base: '--output=/tmp/x' });
    assert.equal(refused.ok, false);
  });
});

describe('Compare with Last Release compares the body template by content', function () {
  this.timeout(60_000);
  let client: LspTestClient;
  let dir: string;

  before(async () => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'amp-lsp-diff-ftl-')));
    fs.cpSync(path.dirname(EXAMPLE_FILES.streaming), dir, { recursive: true });
    releaseRepository(dir, 'v1.0.0');
    client = new LspTestClient(dir);
    await client.initialize();
  });
  after(() => client.stop());

  it('an edited (unsaved) body.ftl is a risky change; the manifest alone unchanged', async () => {
    const uri = fileUri(path.join(dir, path.basename(EXAMPLE_FILES.streaming)));
    await client.open(uri, readExample('streaming'));
    const unchanged = await client.request(DiffRequest, { uri });
    assert.ok(unchanged.ok, JSON.stringify(unchanged));
    assert.deepEqual(unchanged.changes, []);
    const template = fileUri(path.join(dir, 'body.ftl'));
    const text = fs.readFileSync(path.join(dir, 'body.ftl'), 'utf8');
    await client.open(template, text.replace('"events": [', '"batch": ['));
    const answer = await client.request(DiffRequest, { uri });
    assert.ok(answer.ok, JSON.stringify(answer));
    const line = text.split('\n').findIndex((l) => l.includes('"events": [')) + 1;
    assert.deepEqual(
      answer.changes.map((c) => [c.impact, c.message.split(':')[0]]),
      [['risky', `The event body template "body.ftl" changed (line ${line} changed)`]],
    );
  });
});
