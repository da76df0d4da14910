import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { startMockPartner, type MockPartner } from '../../server/src/mock/mockPartner';
import { ReplayRequest, SimulateProgressNotification } from '../../server/src/protocol';
import { DEFAULT_SEND_OPTIONS } from '../../server/src/testing/send';
import { partners, type Partner } from '../helpers/corpus';
import { fileUri, LspTestClient } from '../helpers/lspClient';
import { replayWorkersOf } from '../helpers/processes';
import { waitFor } from '../vscode/poll';

describe('Replay Events over LSP (the bundled server and its render thread)', function () {
  this.timeout(120_000);
  let client: LspTestClient;
  let partner: Partner;
  let mock: MockPartner;

  before(async () => {
    const found = partners().find((p) => p.name === 'iterable-identify');
    assert.ok(found);
    partner = found;
    mock = await startMockPartner({
      manifest: partner.analysis.model,
      fixtures: {},
    });
    client = new LspTestClient();
    await client.initialize();
    await client.open(fileUri(partner.manifestFile), partner.text);
  });
  after(async () => {
    await client.stop();
    await mock.close();
  });

  const replay = (count: number) =>
    client.request(ReplayRequest, {
      uri: fileUri(partner.manifestFile),
      values: partner.values.variables,
      count,
      send: { ...DEFAULT_SEND_OPTIONS, target: mock.url },
      progressToken: 'replay-test',
    });

  it('replays on a render thread with a JVM of its own, which ends with the replay', async () => {
    let running = -1;
    client.connection.onNotification(SimulateProgressNotification.method, (progress: { done: number }) => {
      if (running < 0 && progress.done >= 100) running = replayWorkersOf(client.process.pid as number).length;
    });
    const answer = await replay(3000);
    assert.equal(answer.problem, undefined);
    assert.equal(answer.report?.delivered, 3000);
    assert.equal(answer.verification?.status, 'verified', answer.verification?.differences.join('; '));
    assert.ok(running >= 1, 'a C2 worker of the replay ran beside the editor');
    const gone = () => (replayWorkersOf(client.process.pid as number).length === 0 ? true : undefined);
    await waitFor('the replay to end its JVM', gone, 10_000);
  });

  it('renders the template as it is open in the editor, unsaved edits included', async () => {
    const template = path.join(partner.folder, 'track.ftl');
    await client.open(fileUri(template), '{"user": "${input.no_such_property}"}');
    const answer = await replay(25);
    assert.equal(answer.report?.renderFailures, 25);
    assert.equal(answer.report?.delivered, 0);
    assert.match(answer.report?.problems[0].message ?? '', /^track\.ftl:1:\d+: [^]*no_such_property/);
    await client.change(fileUri(template), fs.readFileSync(template, 'utf8'));
    const restored = await replay(25);
    assert.equal(restored.report?.delivered, 25, 'the open text, now as on disk, renders');
  });
});
