import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import {
  DidChangeWorkspaceFoldersNotification,
  InitializedNotification,
  InitializeRequest,
} from 'vscode-languageserver-protocol';
import { makeWorkspace } from '../helpers/cli';
import { fileUri, LspTestClient } from '../helpers/lspClient';
import { readExample } from '../helpers/manifests';

/** A file URI with an authority: a UNC share on Windows, no local path on Linux or macOS. */
const SHARE = 'file://fileserver/share/integrations';

describe('LSP: a workspace folder file://host/share', function () {
  this.timeout(60_000);
  let client: LspTestClient | undefined;
  afterEach(async () => {
    await client?.stop();
    client = undefined;
  });

  it('does not fail initialize; the local folders still work and the share is logged', async function () {
    if (process.platform === 'win32') this.skip(); // there it is a real UNC path
    const workspace = makeWorkspace({ 'pushwave.amplitude.json': readExample('list') });
    client = new LspTestClient(workspace, true, { workspaceFolders: true });
    const logged: string[] = [];
    client.connection.onNotification('window/logMessage', (p: { message: string }) => {
      logged.push(p.message);
    });
    const answer = await client.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: SHARE,
      workspaceFolders: [
        { uri: SHARE, name: 'share' },
        { uri: fileUri(workspace), name: 'workspace' },
      ],
      capabilities: { workspace: { workspaceFolders: true } },
    });
    assert.equal(answer.serverInfo?.name, 'amplitude-integration-server');
    await client.connection.sendNotification(InitializedNotification.type, {});

    const uri = fileUri(path.join(workspace, 'pushwave.amplitude.json'));
    const broken = readExample('list').replace('"source": "amplitude"', '"source": "$campaign"');
    const diagnostics = await client.open(uri, broken);
    assert.ok(
      diagnostics.some((d) => d.code === 'undeclared-variable'),
      JSON.stringify(diagnostics),
    );
    assert.ok(
      logged.some((m) => m.includes(SHARE) && /not a local path on this machine: skipped/.test(m)),
      JSON.stringify(logged),
    );

    // A document on the share, and the share added later: answered, never a crash.
    const onShare = await client.open(`${SHARE}/pushwave.amplitude.json`, broken);
    assert.ok(
      onShare.some((d) => d.code === 'undeclared-variable'),
      JSON.stringify(onShare),
    );
    await client.connection.sendNotification(DidChangeWorkspaceFoldersNotification.type, {
      event: { added: [{ uri: 'file://other-host/share', name: 'other' }], removed: [] },
    });
    const again = await client.change(uri, readExample('list'));
    assert.ok(!again.some((d) => d.code === 'undeclared-variable'), JSON.stringify(again));
    assert.equal(client.exited, undefined, client.stderr);
  });
});
