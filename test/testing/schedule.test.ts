import * as assert from 'assert';
import { startMockPartner, type MockPartner } from '../../server/src/mock/mockPartner';
import type { ManifestMockState } from '../../server/src/mock/manifestHandler';
import type { ManifestAnalysis } from '../../server/src/analysis';
import { simulateSchedule } from '../../server/src/testing/cohort/schedule';
import { EndpointSender } from '../../server/src/testing/send';
import { DEFAULT_TEST_VALUES, type TestValues } from '../../server/src/testing/values';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCliProcess } from '../helpers/cli';
import { analyzeAs, EXAMPLE_FILES, mutate, readExample } from '../helpers/manifests';

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
    mock = await startMockPartner({ manifest: analysis.model });
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

  it('one seed, one churn: the same users enter and leave run after run; another seed, others', async () => {
    const analysis = analyzeAs('list', readExample('list'));
    const lists = async (seed: number) => {
      const partner = await startMockPartner({ manifest: analysis.model });
      try {
        const options = { values: LIST_VALUES, syncs: 3, cohorts: 1, members: 40, churn: 8, seed, target: partner.url };
        await simulateSchedule(analysis, options, sender);
        return Object.values((partner.state() as ManifestMockState).lists).map((m) => [...m].sort());
      } finally {
        await partner.close();
      }
    };
    const first = await lists(3);
    assert.deepStrictEqual(await lists(3), first);
    assert.notDeepStrictEqual(await lists(4), first);
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

describe('simulate --syncs --cohorts on the command line (the bundled CLI, the manifest-derived mock)', function () {
  const analysis = analyzeAs('list', readExample('list'));
  let mock: MockPartner;
  let valuesFile: string;
  before(async () => {
    mock = await startMockPartner({
      manifest: analysis.model,
      fixtures: { routes: { addUsers: { sequence: [{ status: 429 }, { status: 429 }, { status: 200 }] } } },
    });
    valuesFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'amp-schedule-')), 'values.json');
    fs.writeFileSync(valuesFile, JSON.stringify({ workspace_id: 'ws-1', region: 'us' }));
  });
  after(() => mock.close());
  const args = (...more: string[]) => [
    'simulate',
    EXAMPLE_FILES.list,
    '--values',
    valuesFile,
    '--target',
    mock.url,
    '--syncs',
    '3',
    '--cohorts',
    '2',
    '--users',
    '30',
    '--churn',
    '5',
    '--time-scale',
    '0.0001',
    ...more,
  ];
  const env = { AMPLITUDE_VALUE_BEARER_TOKEN: 'tok' };

  it('text: one block per sync, the 429s retried after 1 s and 2 s, every end state verified', async () => {
    const run = await runCliProcess(args(), { env });
    assert.strictEqual(run.code, 0, run.stdout + run.stderr);
    assert.deepStrictEqual(
      [...run.stdout.matchAll(/^Sync (\d) \((full|delta)/gm)].map((m) => `${m[1]} ${m[2]}`),
      ['1 full', '2 delta', '3 delta'],
    );
    assert.match(run.stdout, /addUsers retry 1 after 1 s \(rate limited \(429\)\)/);
    assert.match(run.stdout, /addUsers retry 2 after 2 s \(rate limited \(429\)\)/);
    assert.strictEqual([...run.stdout.matchAll(/after sync \d: .*end state verified.*end state verified/g)].length, 3);
  });

  it('JUnit: one test case per sync', async () => {
    const run = await runCliProcess(args('--format', 'junit'), { env });
    assert.strictEqual(run.code, 0, run.stdout + run.stderr);
    assert.match(
      run.stdout,
      /<testsuite name="amplitude-integration simulate pushwave-lists.amplitude.json" tests="3" failures="0"/,
    );
    assert.deepStrictEqual(
      [...run.stdout.matchAll(/<testcase classname="simulate" name="([^"]+)"/g)].map((m) => m[1]),
      ['sync 1 (full)', 'sync 2 (delta)', 'sync 3 (delta)'],
    );
  });
});
