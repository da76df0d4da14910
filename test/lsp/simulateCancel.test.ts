import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CancellationTokenSource } from 'vscode-languageserver-protocol';
import { SimulateRequest, type SimulateAnswer, type SimulateParams } from '../../server/src/protocol';
import { DEFAULT_SEND_OPTIONS } from '../../server/src/testing/send';
import { fileUri, LspTestClient } from '../helpers/lspClient';
import { EXAMPLE_FILES, readExample } from '../helpers/manifests';
import { waitFor } from '../vscode/poll';

/** A partner API that answers the first `answered` updates at once and holds every later one open. */
function partnerThatStalls(answered: number) {
  const seen = { requests: 0, answeredUsers: 0 };
  const held = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.requests++;
      if (seen.requests > answered) {
        held.add(res);
        return;
      }
      seen.answeredUsers += (JSON.parse(body) as { contacts: unknown[] }).contacts.length;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"updated": true}');
    });
  });
  return {
    seen,
    server,
    listen: () => new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(url()))),
    close: () => {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      server.close();
    },
  };
  function url() {
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
}

describe('Simulate over LSP, cancelled', function () {
  this.timeout(60_000);
  let client: LspTestClient;
  before(async () => {
    client = new LspTestClient();
    await client.initialize();
    await client.open(fileUri(EXAMPLE_FILES.property), readExample('property'));
  });
  after(() => client.stop());

  it('reports the users actually sent and says it was cancelled, not every user as added', async () => {
    const partner = partnerThatStalls(3);
    const target = await partner.listen();
    try {
      const params: SimulateParams = {
        uri: fileUri(EXAMPLE_FILES.property),
        values: { account_subdomain: 'acme', attribute_prefix: 'amp_', api_key: 'k', api_secret: 's' },
        users: { count: 50_000, remove: 10_000 },
        send: { ...DEFAULT_SEND_OPTIONS, target },
        progressToken: 'simulate-cancel',
      };
      const cancel = new CancellationTokenSource();
      const answer = client.connection.sendRequest<SimulateAnswer>(SimulateRequest.method, params, cancel.token);
      await waitFor('the partner to hold a request', () => (partner.seen.requests > 3 ? true : undefined), 20_000);
      cancel.cancel();
      const { summary, problem } = await answer;
      assert.equal(problem, undefined);
      assert.ok(summary, 'a summary comes back');
      assert.equal(summary.cancelled, true);
      assert.equal(summary.users.added, partner.seen.answeredUsers, JSON.stringify(summary));
      assert.ok(summary.users.added < 50_000);
      assert.equal(summary.users.removed, 0);
      assert.match(summary.problem ?? '', /cancelled: 15000 of 50000 users added and 0 of 10000 removed/);
      assert.equal(summary.verification, undefined);
    } finally {
      partner.close();
    }
  });
});
