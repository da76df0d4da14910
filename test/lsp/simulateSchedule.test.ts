import * as assert from 'assert';
import { startMockPartner, type MockPartner } from '../../server/src/mock/mockPartner';
import type { ManifestMockState } from '../../server/src/mock/manifestHandler';
import { SimulateRequest } from '../../server/src/protocol';
import { DEFAULT_SEND_OPTIONS } from '../../server/src/testing/send';
import { fileUri, LspTestClient } from '../helpers/lspClient';
import { analyzeAs, EXAMPLE_FILES, readExample } from '../helpers/manifests';

describe('Simulate Cohort Sync over LSP: several syncs of several cohorts, retried on the schedule', function () {
  const text = readExample('list');
  const analysis = analyzeAs('list', text);
  let client: LspTestClient;
  let mock: MockPartner;
  before(async () => {
    mock = await startMockPartner({
      manifest: analysis.model,
      fixtures: { routes: { removeUsers: { sequence: [{ status: 503 }, { status: 200 }] } } },
    });
    client = new LspTestClient();
    await client.initialize();
    await client.open(fileUri(EXAMPLE_FILES.list), text);
  });
  after(async () => {
    await client.stop();
    await mock.close();
  });

  it('answers a report per sync, each end state verified, the 503 retried after 1 s', async () => {
    const answer = await client.request(SimulateRequest, {
      uri: fileUri(EXAMPLE_FILES.list),
      values: { bearer_token: 'tok', workspace_id: 'ws-1', region: 'us' },
      users: { count: 20, remove: 0 },
      send: { ...DEFAULT_SEND_OPTIONS, target: mock.url },
      progressToken: 'schedule-test',
      schedule: { syncs: 3, cohorts: 2, churn: 4 },
      timeScale: 0.0001,
    });
    assert.strictEqual(answer.problem, undefined);
    const syncs = answer.schedule?.syncs ?? [];
    assert.deepStrictEqual(
      syncs.map((s) => [s.kind, s.cohorts.length, s.verification?.status]),
      [
        ['full', 2, 'verified'],
        ['delta', 2, 'verified'],
        ['delta', 2, 'verified'],
      ],
    );
    const retried = syncs.flatMap((s) => s.cohorts.flatMap((c) => c.summary.retried));
    assert.deepStrictEqual(
      retried.map((r) => [r.endpoint, r.retry, r.waitSeconds]),
      [['removeUsers', 1, 1]],
    );
    assert.strictEqual((mock.state() as ManifestMockState).requests.listCreation, 2);
  });
});
