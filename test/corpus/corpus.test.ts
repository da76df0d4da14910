import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { SAMPLE_EVENTS, SAMPLE_IDENTIFIES } from '../../server/src/freemarker/sampleEvents';
import { streamingRoles } from '../../server/src/manifest/usage';
import { FreemarkerWorker } from '../../server/src/freemarker/engine';
import { startMockPartner, type MockPartner } from '../../server/src/mock/mockPartner';
import type { RecordedRequest } from '../../server/src/mock/manifestHandler';
import { runTest } from '../../server/src/testing/runner';
import { EndpointSender } from '../../server/src/testing/send';
import { simulateSync } from '../../server/src/testing/cohort/simulate';
import { generatedUsers, firstUsers } from '../../server/src/testing/cohort/users';
import { cliRenderer } from '../../server/src/cli/engine';
import { partners, type Partner } from '../helpers/corpus';
import { builtEngine } from '../helpers/engine';
import { REPO } from '../helpers/lspClient';

/** Set UPDATE_GOLDEN=1 to write the golden files from this run (then review the diff). */
const UPDATE = process.env.UPDATE_GOLDEN === '1';

/** An ingestion batch carries the time it was built: the golden file holds a stand-in. */
function stable(requests: RecordedRequest[]): RecordedRequest[] {
  return requests.map((r) => {
    const body = r.body as { events?: { time?: unknown }[] } | undefined;
    if (!Array.isArray(body?.events) || r.path.indexOf('httpapi') < 0) return r;
    return { ...r, body: { ...body, events: body.events.map((e) => ({ ...e, time: '<now>' })) } };
  });
}

function compareGolden(partner: Partner, requests: RecordedRequest[]): void {
  const actual = stable(requests);
  if (UPDATE || !fs.existsSync(partner.goldenFile)) {
    fs.writeFileSync(partner.goldenFile, `${JSON.stringify(actual, null, 2)}\n`);
    if (!UPDATE) assert.fail(`${partner.goldenFile} did not exist: written; review it and commit it`);
    return;
  }
  const expected = JSON.parse(fs.readFileSync(partner.goldenFile, 'utf8')) as RecordedRequest[];
  assert.deepStrictEqual(actual, expected, `the requests differ from ${path.relative(REPO, partner.goldenFile)}`);
}

async function mockFor(partner: Partner): Promise<MockPartner> {
  if (partner.analysis.model.kind === 'event-ingestion') return startMockPartner({});
  return startMockPartner({ manifest: partner.analysis.model, fixtures: partner.fixtures });
}

/** A seeded sync: 7 generated users added, the first 3 removed, against the manifest-derived mock. */
async function syncPartner(partner: Partner, mock: MockPartner, sender: EndpointSender): Promise<void> {
  const mappings = partner.analysis.model.declarations.filter((d) => d.source === 'mappingField').map((d) => d.name);
  const added = generatedUsers(7, mappings);
  const summary = await simulateSync(
    partner.analysis,
    { values: partner.values, added, removed: firstUsers(added, 3), target: mock.url },
    sender,
  );
  assert.strictEqual(summary.problem, undefined, summary.problem);
  assert.strictEqual(summary.failed, 0, JSON.stringify(summary.statusCounts));
  assert.strictEqual(
    summary.verification?.status,
    'verified',
    `${summary.verification?.message} ${summary.verification?.differences.join('; ')}`,
  );
}

async function streamPartner(partner: Partner, mock: MockPartner, sender: EndpointSender): Promise<void> {
  const worker = new FreemarkerWorker(builtEngine());
  try {
    const render = cliRenderer(worker, partner.analysis.model.streaming, { baseDir: partner.folder, rootDir: REPO });
    for (const sample of SAMPLE_EVENTS) {
      const result = await runTest(
        partner.analysis,
        { values: partner.values, event: sample.event, target: mock.url },
        sender,
        render,
      );
      assert.ok(result.result.ok && result.result.status < 300, `${sample.name}: ${JSON.stringify(result.result)}`);
      assert.deepStrictEqual(result.request.notes ?? [], [], `${sample.name}: the body is not JSON`);
    }
    const identifies = streamingRoles(partner.analysis.model.streaming).includes('identify') ? SAMPLE_IDENTIFIES : [];
    for (const sample of identifies) {
      const spec = { name: 'identify' as const, values: partner.values, identify: sample.event, target: mock.url };
      const result = await runTest(partner.analysis, spec, sender, render);
      assert.ok(result.result.ok && result.result.status < 300, `${sample.name}: ${JSON.stringify(result.result)}`);
      assert.equal(result.delivery?.outcome, 'delivered');
    }
    const state = mock.state() as { events: { accepted: number }; identifies: { accepted: number } };
    assert.strictEqual(state.events.accepted, SAMPLE_EVENTS.length);
    assert.strictEqual(state.identifies.accepted, identifies.length);
  } finally {
    worker.dispose();
  }
}

describe('corpus: integrations modelled on real partner APIs', function () {
  this.timeout(60_000);
  for (const partner of partners()) {
    describe(partner.name, () => {
      it('validates with zero errors (warnings only for what the portal cannot say otherwise)', () => {
        const errors = partner.analysis.diagnostics.filter((d) => d.severity === 'error');
        assert.deepStrictEqual(
          errors.map((d) => `${d.code}: ${d.message}`),
          [],
        );
        const warnings = partner.analysis.diagnostics.filter((d) => d.severity === 'warning').map((d) => d.code);
        // cohorts-overwrite is a real finding, not noise: HubSpot's property named by a custom field is one
        // property per destination, so two cohorts synced to it overwrite each other (simulate --cohorts 2).
        const allowed =
          partner.name === 'hubspot-contacts' ? ['literal-dollar-key', 'cohorts-overwrite'] : ['literal-dollar-key'];
        assert.ok(
          warnings.every((code) => allowed.includes(code)),
          warnings.join(', '),
        );
      });

      it('sends exactly the golden requests, and the mock playing its API ends where the sync meant', async () => {
        const mock = await mockFor(partner);
        const sender = new EndpointSender();
        try {
          const kind = partner.analysis.model.kind;
          if (kind === 'cohort-list' || kind === 'cohort-property') await syncPartner(partner, mock, sender);
          else if (kind === 'event-streaming') await streamPartner(partner, mock, sender);
          else {
            const result = await runTest(
              partner.analysis,
              { values: partner.values, target: `${mock.url}/2/httpapi` },
              sender,
            );
            assert.strictEqual(result.result.ok && result.result.status, 200);
          }
          const log = kind === 'event-ingestion' ? [] : mock.requests();
          if (kind !== 'event-ingestion') compareGolden(partner, log);
        } finally {
          await sender.close();
          await mock.close();
        }
      });
    });
  }
});
