import type { ListId } from '../../server/src/testing/listId';
import { listedUsers } from '../../server/src/testing/users';
import { percentile } from '../../server/src/base/stats';
import { performance } from 'perf_hooks';
import { analyzeManifest } from '../../server/src/analysis';
import { buildRequests } from '../../server/src/testing/request';
import { retarget } from '../../server/src/testing/endpointTest';
import { simulateSync } from '../../server/src/testing/simulate';
import { EndpointSender } from '../../server/src/testing/send';
import { DEFAULT_TEST_VALUES, generateUsers } from '../../server/src/testing/values';
import { readExample } from '../../test/helpers/manifests';
import { plainLoop, startMockProcess } from '../shared';

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
    buildRequests(full.model, full.doc.value, 'addUsers', { values, users: batch, listId: 'list-1' });
    buildMs.push(performance.now() - start);
  }

  const mock = await startMockProcess(['--bearer', 'bench-token', '--list-id-path', 'audience.id']);
  try {
    const sampleUsers = generateUsers(users, ['user_id_field_amplitude']);
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
    const bodies = buildRequests(analysis.model, analysis.doc.value, 'addUsers', {
      values,
      users: sampleUsers,
      listId: first.summary.listId,
    }).map((r) => retarget(r, mock.url));
    await plainLoop(bodies, 4);
    // Alternate, and compare medians: the machine's load then weighs on both alike.
    const oursRuns: number[] = [];
    const plainRuns: number[] = [];
    for (let i = 0; i < 9; i++) {
      // Into the same list as the reference: the mock's work per request is then the same for both.
      oursRuns.push((await ours(first.summary.listId)).elapsed);
      plainRuns.push(await plainLoop(bodies, 4));
    }
    const summary = first.summary;
    const oursMs = percentile(oursRuns, 50);
    const plainMs = percentile(plainRuns, 50);
    const ratio = users / oursMs / (users / plainMs);
    const checks = [
      {
        name: 'building a 10,000-item batch, p50',
        ok: percentile(buildMs, 50) < 20,
        figure: `${percentile(buildMs, 50).toFixed(1)} ms (p95 ${percentile(buildMs, 95).toFixed(1)} ms; target p50 < 20 ms)`,
      },
      {
        name: `simulated sync of ${users} users vs a plain undici loop (same bodies, 4 in flight)`,
        ok: ratio >= 0.95,
        figure: `${((users / oursMs) * 1000).toFixed(0)} vs ${((users / plainMs) * 1000).toFixed(0)} users/s = ${ratio.toFixed(2)} (target >= 0.95)`,
      },
    ];
    console.log(`bench/test-endpoint: ${summary.requests} requests against the mock partner API`);
    for (const c of checks) console.log(`${c.ok ? 'PASS' : 'FAIL'}  ${c.name}: ${c.figure}`);
    if (checks.some((c) => !c.ok)) process.exitCode = 1;
  } finally {
    mock.child.kill();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
