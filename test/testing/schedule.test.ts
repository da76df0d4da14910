import * as assert from 'assert';
import { startMockPartner, type MockPartner } from '../../server/src/mock/mockPartner';
import type { ManifestMockState } from '../../server/src/mock/manifestHandler';
import type { ManifestAnalysis } from '../../server/src/analysis';
import { simulateSchedule } from '../../server/src/testing/schedule';
import { EndpointSender } from '../../server/src/testing/send';
import { DEFAULT_TEST_VALUES, type TestValues } from '../../server/src/testing/values';
import { analyzeAs, mutate, readExample } from '../helpers/manifests';

const LIST_VALUES = { ...DEFAULT_TEST_VALUES, variables: { bearer_token: 't', workspace_id: 'ws-1', region: 'us' } };
const PROPERTY_VALUES = {
  ...DEFAULT_TEST_VALUES,
  variables: { api_key: 'k', api_secret: 's', account_subdomain: 'acme', attribute_prefix: 'amp_' },
};

describe('simulate --syncs --cohorts: syncs as Amplitude schedules them, over real HTTP against the mock', function () {
  let mock: MockPartner | undefined;
  let sender: EndpointSender;
  beforeEach(() => {
    sender = new EndpointSender();
  });
  afterEach(async () => {
    await sender.close();
    await mock?.close();
  });
  const run = async (analysis: ManifestAnalysis, values: TestValues) => {
    mock = await startMockPartner({ manifest: { value: analysis.doc.value, model: analysis.model } });
    const options = { values, syncs: 3, cohorts: 2, members: 40, churn: 0.25, seed: 7, target: mock.url };
    return { report: await simulateSchedule(analysis, options, sender), state: mock.state() as ManifestMockState };
  };

  it('list-based: a list per cohort made once, its id reused by the delta syncs, each end state verified', async () => {
    const { report, state } = await run(analyzeAs('list', readExample('list')), LIST_VALUES);
    assert.deepStrictEqual(
      report.syncs.map((s) => [s.sync, s.kind, s.verification?.status]),
      [
        [1, 'full', 'verified'],
        [2, 'delta', 'verified'],
        [3, 'delta', 'verified'],
      ],
      JSON.stringify(report.syncs.map((s) => s.verification)),
    );
    assert.strictEqual(state.requests.listCreation, 2, 'one list creation per cohort, none in a delta sync');
    const [first, second] = report.syncs[0].cohorts.map((c) => c.summary.listId);
    assert.notStrictEqual(first, second);
    for (const sync of report.syncs.slice(1)) {
      assert.deepStrictEqual(
        sync.cohorts.map((c) => [c.summary.listId, c.summary.users.added, c.summary.users.removed]),
        [
          [undefined, 10, 10],
          [undefined, 10, 10],
        ],
      );
    }
    assert.deepStrictEqual(
      Object.values(state.lists).map((members) => members.length),
      [40, 40],
    );
    const [a, b] = Object.values(state.lists).map((m) => new Set(m));
    assert.ok(
      [...a].some((u) => b.has(u)),
      'the cohorts share users: each gets its own request per cohort',
    );
  });

  it('property-based: a property per cohort, each verified after every sync', async () => {
    const { report, state } = await run(analyzeAs('property', readExample('property')), PROPERTY_VALUES);
    assert.deepStrictEqual(
      report.syncs.map((s) => s.verification?.status),
      ['verified', 'verified', 'verified'],
      JSON.stringify(report.syncs.map((s) => s.verification)),
    );
    assert.strictEqual(report.overwrite, undefined);
    const perCohort = Object.values(state.cohortProperties);
    assert.strictEqual(perCohort.length, 2);
    for (const users of perCohort) {
      assert.strictEqual(Object.values(users).filter((v) => v === true).length, 40);
      assert.strictEqual(Object.values(users).filter((v) => v === false).length > 0, true);
    }
  });

  it('property-based with no cohort in the update: one cohort overwrites the other, and simulate says so', async () => {
    const text = mutate(
      mutate(readExample('property'), '"attribute": "$attribute_prefix$amp_cohort_name",', '"attribute": "in_cohort",'),
      '"cohort_id": "$amp_cohort_id",\n',
      '',
    );
    const { report } = await run(analyzeAs('property', text), PROPERTY_VALUES);
    assert.match(report.overwrite ?? '', /cohorts overwrite one another/);
    const last = report.syncs[2].verification;
    assert.strictEqual(last?.status, 'mismatch');
    assert.match(last?.differences[0] ?? '', /cohorts overwrite one another/);
  });
});
