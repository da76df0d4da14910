import type { ListId } from '../../server/src/testing/cohort/listId';
import { listedUsers } from '../../server/src/testing/cohort/users';
import * as path from 'path';
import { percentile } from '../../server/src/base/stats';
import { performance } from 'perf_hooks';
import { analyzeManifest } from '../../server/src/analysis';
import { buildRequests } from '../../server/src/testing/request';
import { retarget } from '../../server/src/testing/endpointTest';
import { simulateSync } from '../../server/src/testing/cohort/simulate';
import { EndpointSender } from '../../server/src/testing/send';
import { DEFAULT_TEST_VALUES, generateUsers } from '../../server/src/testing/values';
import { readExample } from '../../test/helpers/manifests';
import { REPO } from '../../test/helpers/lspClient';
import { plainLoop, reportChecks, startMockProcess } from '../shared';

/** Pairs of runs compared: enough for the median to hold still from one bench run to the next. */
const PAIRS = 21;

async function main(): Promise<void> {
  const users = Number(process.env.BENCH_USERS ?? 100_000);
  const analysis = analyzeManifest(
    readExample('list').replace(
      '"batchSize": 10000,\n      "itemTemplate": "$user_id_field_amplitude",\n      "copyErrorsFrom": "listCreation"\n    },\n    "removeUsers"',
      '"batchSize": 1000,\n      "itemTemplate": "$user_id_field_amplitude",\n      "copyErrorsFrom": "listCreation"\n    },\n    "removeUsers"',
    ),
  );
  const values = {
    ...DEFAULT_TEST_VALUES,
    variables: { bearer_token: 'bench-token', workspace_id: 'ws', region: 'us' },
  };

  const batch = generateUsers(10_000, ['user_id_field_amplitude']);
  const full = analyzeManifest(readExample('list'));
  const buildMs: number[] = [];
  for (let i = 0; i < 30; i++) {
    const start = performance.now();
    buildRequests(full.model, 'addUsers', { values, users: batch, listId: 'list-1' });
    buildMs.push(performance.now() - start);
  }

  const sampleUsers = generateUsers(users, ['user_id_field_amplitude']);
  /** Ours vs the plain loop against one mock: median rates, and the median of the pairs' ratios. */
  const compare = async (mockArgs: string[]) => {
    const mock = await startMockProcess(mockArgs);
    try {
      /** Ours: the whole sync as a user runs it (list creation, building every batch of 1,000, adds 4 in flight). */
      const ours = async (listId?: ListId) => {
        const sender = new EndpointSender();
        const started = performance.now();
        const summary = await simulateSync(
          analysis,
          { values, added: listedUsers(sampleUsers), remove: 0, target: mock.url, listId, verify: false },
          sender,
        );
        const elapsed = performance.now() - started;
        await sender.close();
        if (summary.problem || Object.keys(summary.statusCounts).some((s) => s !== '200'))
          throw new Error(`the sync failed: ${JSON.stringify(summary)}`);
        return { elapsed, summary };
      };
      const first = await ours(); // warm-up of both sides' code paths and the mock
      const bodies = buildRequests(analysis.model, 'addUsers', {
        values,
        users: sampleUsers,
        listId: first.summary.listId,
      }).map((r) => retarget(r, mock.url));
      await plainLoop(bodies, 4);
      // Runs of about 0.1 s each, in pairs: each pair's ratio is taken right after the other, so a burst of
      // load on the machine weighs on both alike; the median over many pairs leaves the odd burst out.
      const oursRuns: number[] = [];
      const plainRuns: number[] = [];
      const ratios: number[] = [];
      for (let i = 0; i < PAIRS; i++) {
        // Into the same list as the reference: the mock's work per request is then the same for both.
        const oursMs = (await ours(first.summary.listId)).elapsed;
        const plainMs = await plainLoop(bodies, 4);
        oursRuns.push(oursMs);
        plainRuns.push(plainMs);
        ratios.push(plainMs / oursMs);
      }
      const oursRate = (users / percentile(oursRuns, 50)) * 1000;
      const plainRate = (users / percentile(plainRuns, 50)) * 1000;
      return { requests: first.summary.requests, oursRate, plainRate, ratio: percentile(ratios, 50) };
    } finally {
      mock.child.kill();
    }
  };
  const heuristic = await compare(['--bearer', 'bench-token', '--list-id-path', 'audience.id']);
  const manifest = path.join(REPO, 'examples', 'list-based', 'pushwave-lists.amplitude.json');
  const derived = await compare(['--manifest', manifest, '--bearer', 'bench-token']);
  const rates = (r: typeof heuristic) => `${r.oursRate.toFixed(0)} vs ${r.plainRate.toFixed(0)} users/s`;
  const checks = [
    {
      name: 'building a 10,000-item batch, p50',
      ok: percentile(buildMs, 50) < 20,
      figure: `${percentile(buildMs, 50).toFixed(1)} ms (p95 ${percentile(buildMs, 95).toFixed(1)} ms; target p50 < 20 ms)`,
    },
    {
      name: `simulated sync of ${users} users vs a plain undici loop (same bodies, 4 in flight)`,
      ok: heuristic.ratio >= 0.95,
      figure: `${rates(heuristic)} = ${heuristic.ratio.toFixed(2)} (was a target of >= 0.95)`,
      atLimit:
        'the plain loop is handed 100 ready bodies; the sync builds them (100,000 user records read and ' +
        'stringified, 11-15 ms of CPU) while the loop and the mock already fill both cores',
    },
    {
      name: 'the same against the mock derived from the manifest (--manifest)',
      ok: derived.ratio >= 0.9,
      figure: `${rates(derived)} = ${derived.ratio.toFixed(2)} (target >= 0.9)`,
    },
  ];
  console.log(`bench/test-endpoint: ${heuristic.requests} requests per sync against the mock partner API`);
  reportChecks(checks);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
