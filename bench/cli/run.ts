import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { percentile } from '../../server/src/base/stats';
import { REPO } from '../../test/helpers/lspClient';

const CLI = path.join(REPO, 'dist', 'cli.js');
const RUNS = 9;
const TARGET_MS = 300;

/** A fresh process each time, as CI runs it: node's start, the CLI bundle's load, the checks, the exit. */
function coldRun(args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const started = performance.now();
  const run = spawnSync(process.execPath, args, { cwd: REPO, encoding: 'utf8', env });
  const elapsed = performance.now() - started;
  if (run.status !== 0) throw new Error(`${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  return elapsed;
}

function median(args: string[]): number {
  return percentile(
    Array.from({ length: RUNS }, () => coldRun(args)),
    50,
  );
}

/** The very first run after installing: an empty cache folder each time, so V8 compiles the whole bundle. */
function firstRun(args: string[]): number {
  const samples = Array.from({ length: RUNS }, () => {
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cli-cache-'));
    try {
      return coldRun(args, { ...process.env, XDG_CACHE_HOME: cache });
    } finally {
      fs.rmSync(cache, { recursive: true, force: true });
    }
  });
  return percentile(samples, 50);
}

function main(): void {
  // Manifests without a body template: no JVM is started, so this is the CLI's own cost.
  const manifests = ['examples/list-based', 'examples/property-based', 'examples/event-ingestion'];
  const bare = median(['-e', '0']);
  console.log(
    `bench/cli: validate, cold (median of ${RUNS} fresh processes, V8's code cache from an earlier run); ` +
      `node itself starts in ${bare.toFixed(0)} ms`,
  );
  let failed = false;
  for (const manifest of manifests) {
    const ms = median([CLI, 'validate', manifest]);
    const ok = ms < TARGET_MS;
    failed ||= !ok;
    console.log(
      `${ok ? 'PASS' : 'FAIL'}  validate ${manifest}: ${ms.toFixed(0)} ms = ${(ms / bare).toFixed(1)}x a bare node ` +
        `start (target < ${TARGET_MS} ms)`,
    );
  }
  const first = firstRun([CLI, 'validate', manifests[0]]);
  console.log(`      the first run after installing (no code cache yet): ${first.toFixed(0)} ms`);
  if (failed) process.exitCode = 1;
}

main();
