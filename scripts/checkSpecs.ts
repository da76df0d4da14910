/**
 * `npm run test:specs-fail`: proves every diagnostic code has a spec that fails when its check is gone. For each
 * code in diagnostics/codes.ts it runs the specs that name it with AMPLITUDE_DISABLE_DIAGNOSTIC=<code> (which drops
 * that code's findings, see base/diagnostic.ts) and expects mocha to fail. Run after `npm run build` and `tsc -p .`.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { DIAGNOSTIC_CODES } from '../server/src/diagnostics/codes';

const ROOT = path.resolve(__dirname, '..', '..');
const MOCHA = path.join(ROOT, 'node_modules', 'mocha', 'bin', 'mocha.js');
/** Two cores on the CI machine: two mocha runs at a time. */
const PARALLEL = 2;
/** One code's specs, all of them, must be done in this time (the slowest files start a JVM and a server). */
const RUN_TIMEOUT_MS = 10 * 60_000;

/**
 * Codes that cannot be disabled by dropping their findings, each with the reason. Empty today: every code's
 * findings pass through runChecks, checkTemplate/engineChecks/withoutEngine or classifyChanges.
 */
const CANNOT_BE_DISABLED: ReadonlyMap<string, string> = new Map<string, string>([]);

/** Every spec file under test/ (the VS Code ones run only inside VS Code, not under mocha). */
function specFiles(dir = path.join(ROOT, 'test')): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'vscode' ? [] : specFiles(full);
    return entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

/** The compiled spec files that name the code, quoted as a string. */
function specsNaming(code: string, sources: ReadonlyMap<string, string>): string[] {
  const quoted = [`'${code}'`, `"${code}"`];
  return [...sources]
    .filter(([, text]) => quoted.some((q) => text.includes(q)))
    .map(([file]) => path.join(ROOT, 'out', path.relative(ROOT, file)).replace(/\.ts$/, '.js'));
}

/** The mocha runs under way, by process group: stopped whole on a timeout or when this script is stopped. */
const running = new Set<number>();
const stopGroup = (pid: number) => {
  if (pid <= 0) return; // No process was started: -0 would be this script's own group.
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
};
process.on('SIGINT', () => {
  running.forEach(stopGroup);
  process.exit(130);
});

interface Outcome {
  exitCode: number | null;
  failing: number;
  timedOut: boolean;
}

/** Runs mocha on the files with the code disabled; its own process group, killed whole when it runs too long. */
function runDisabled(code: string, files: string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    const args = [MOCHA, '--no-package', '--timeout', '60000', '--enable-source-maps', '--reporter', 'dot', ...files];
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, AMPLITUDE_DISABLE_DIAGNOSTIC: code },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const pid = child.pid ?? 0;
    if (pid > 0) running.add(pid);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      stopGroup(pid);
    }, RUN_TIMEOUT_MS);
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      running.delete(pid);
      const failing = Number(/(\d+) failing/.exec(output)?.[1] ?? 0);
      resolve({ exitCode, failing, timedOut });
    });
  });
}

async function verdict(code: string, sources: ReadonlyMap<string, string>): Promise<{ ok: boolean; line: string }> {
  const reason = CANNOT_BE_DISABLED.get(code);
  if (reason) return { ok: true, line: `skip ${code}: ${reason}` };
  const files = specsNaming(code, sources);
  if (files.length === 0) return { ok: false, line: `FAIL ${code}: no spec names it` };
  const run = await runDisabled(code, files);
  if (run.timedOut) return { ok: false, line: `FAIL ${code}: its specs did not finish in ${RUN_TIMEOUT_MS / 1000} s` };
  if (run.exitCode === 0) return { ok: false, line: `FAIL ${code}: its specs pass with it disabled` };
  // A crash or a file that does not load is no proof: a spec must fail.
  if (run.failing === 0)
    return { ok: false, line: `FAIL ${code}: mocha stopped (exit ${run.exitCode}), no spec failed` };
  return { ok: true, line: `ok  ${code}: ${run.failing} specs fail without it (in ${files.length} files)` };
}

async function main(): Promise<void> {
  const started = Date.now();
  const sources = new Map(specFiles().map((file) => [file, fs.readFileSync(file, 'utf8')] as const));
  const only = process.argv.slice(2);
  const codes = DIAGNOSTIC_CODES.map((c) => c.code).filter((c) => only.length === 0 || only.includes(c));
  let failed = 0;
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < codes.length; i = next++) {
      const result = await verdict(codes[i], sources);
      if (!result.ok) failed++;
      process.stdout.write(`${result.line}\n`);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  const seconds = Math.round((Date.now() - started) / 1000);
  process.stdout.write(`\n${codes.length - failed} of ${codes.length} codes proven, in ${seconds} s\n`);
  process.exitCode = failed > 0 ? 1 : 0;
}

void main();
