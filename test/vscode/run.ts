/**
 * Runs the VS Code suites on the packaged .vsix in a real VS Code. A desktop VS Code through
 * @vscode/test-electron where one can be had (named by VSCODE_TEST_EXECUTABLE, or downloaded);
 * otherwise code-server driven by headless Chromium (README, "The real-editor tests"), which also
 * checks what a person sees (screen/checks.ts). Screenshots go to test-results/.
 */
import { execFileSync, spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { resolveCliPathFromVSCodeExecutablePath, runTests } from '@vscode/test-electron';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium';
import type { SuiteResult } from './harnessMain';
import { waitFor } from './poll';
import { SCREEN_CHECKS } from './screen/checks';
import { screenshot } from './screen/driver';
import { checkOutputChannelLogs, type CheckResult } from './screen/logs';
import {
  CODE_SERVER,
  desktopVsCode,
  ensureCodeServer,
  freePort,
  listening,
  log,
  packageHarness,
  RESULTS_DIR,
  VSIX,
  withNode24,
} from './toolchain';
import { prepareRun, TOKEN, type Run } from './workspace';

async function screenChecks(page: Page, workspace: string): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const check of SCREEN_CHECKS) {
    try {
      await check.run(page, workspace);
      results.push({ name: check.name, ok: true });
    } catch (error) {
      results.push({ name: check.name, ok: false, detail: error instanceof Error ? error.message : String(error) });
      await screenshot(page, `failed-${check.name.replace(/\W+/g, '-')}`);
      await page.keyboard.press('Escape');
    }
  }
  return results;
}

function startCodeServer(
  run: Run,
  port: number,
  env: NodeJS.ProcessEnv,
): { server: ChildProcess; output: () => string } {
  const args = ['--auth', 'none', '--bind-addr', `127.0.0.1:${port}`];
  const profile = ['--user-data-dir', run.userData, '--extensions-dir', run.extensions];
  const quiet = ['--disable-telemetry', '--disable-update-check', '--disable-workspace-trust'];
  const server = spawn(CODE_SERVER, [...args, ...profile, ...quiet, run.workspace], {
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (c: Buffer) => {
    output = (output + c.toString()).slice(-20_000);
  };
  server.stdout?.on('data', keep);
  server.stderr?.on('data', keep);
  return { server, output: () => output };
}

function stop(server: ChildProcess): void {
  if (!server.pid) return;
  try {
    process.kill(-server.pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

async function suitesInCodeServer(run: Run): Promise<number> {
  const env = { ...withNode24(), AMPLITUDE_VSCODE_RESULTS: run.resultsFile, AMPLITUDE_MOCK_TOKEN: TOKEN };
  log('installing the .vsix and the test harness into code-server ...');
  for (const vsix of [VSIX, packageHarness(run.dir)]) {
    const profile = ['--user-data-dir', run.userData, '--extensions-dir', run.extensions];
    execFileSync(CODE_SERVER, [...profile, '--install-extension', vsix], { env, stdio: 'pipe' });
  }
  const port = await freePort();
  const { server, output } = startCodeServer(run, port, env);
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    await waitFor('code-server to listen', () => listening(port), 30_000);
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(run.workspace)}`);
    log('VS Code is loading; the suites run in its extension host ...');
    const readResults = () =>
      fs.existsSync(run.resultsFile)
        ? (JSON.parse(fs.readFileSync(run.resultsFile, 'utf8')) as SuiteResult)
        : undefined;
    const result = await waitFor('the suites', readResults, 240_000);
    const checks = await screenChecks(page, run.workspace);
    checks.push(checkOutputChannelLogs(run.userData));
    await screenshot(page, 'workbench');
    return report(result, checks);
  } catch (error) {
    log(`code-server log (tail):\n${output().slice(-3000)}`);
    throw error;
  } finally {
    await browser?.close();
    stop(server);
  }
}

/** The suites in code-server, driven by headless Chromium, then what a person sees. */
async function inCodeServer(): Promise<number> {
  ensureCodeServer();
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const run = await prepareRun();
  try {
    return await suitesInCodeServer(run);
  } finally {
    await run.mock.close();
  }
}

/** An empty development extension for test-electron: the extension under test is the installed .vsix only. */
function emptyDevHost(dir: string): string {
  const devHost = path.join(dir, 'dev-host');
  fs.mkdirSync(devHost);
  const manifest = { name: 'amplitude-vscode-test-host', publisher: 'amplitude-partners', version: '0.0.1' };
  fs.writeFileSync(path.join(devHost, 'package.json'), JSON.stringify({ ...manifest, engines: { vscode: '^1.91.0' } }));
  return devHost;
}

/** The suites in a desktop VS Code: the .vsix installed with its CLI, the suites as --extensionTestsPath. */
async function inDesktopVsCode(executable: string): Promise<number> {
  const run = await prepareRun();
  try {
    const profile = [`--user-data-dir=${run.userData}`, `--extensions-dir=${run.extensions}`];
    log(`installing the .vsix into ${executable} ...`);
    const cli = resolveCliPathFromVSCodeExecutablePath(executable);
    execFileSync(cli, [...profile, '--install-extension', VSIX], { stdio: 'pipe' });
    let outcome = 'passed';
    try {
      await runTests({
        vscodeExecutablePath: executable,
        extensionDevelopmentPath: emptyDevHost(run.dir),
        extensionTestsPath: path.join(__dirname, 'electronEntry.js'),
        launchArgs: [run.workspace, ...profile, '--disable-gpu'],
        extensionTestsEnv: { AMPLITUDE_VSCODE_RESULTS: run.resultsFile, AMPLITUDE_MOCK_TOKEN: TOKEN },
      });
    } catch (error) {
      outcome = error instanceof Error ? error.message : String(error);
    }
    if (!fs.existsSync(run.resultsFile))
      throw new Error(`VS Code ended (${outcome}) without running the suites; without a display, use xvfb-run.`);
    const result = JSON.parse(fs.readFileSync(run.resultsFile, 'utf8')) as SuiteResult;
    return report(result, [checkOutputChannelLogs(run.userData)]);
  } finally {
    await run.mock.close();
  }
}

/** Prints every test and check; the exit code is 0 when the suites ran, and no test or check failed. */
function report(result: SuiteResult, checks: CheckResult[]): number {
  for (const t of result.tests) {
    const error = t.error ? `\n        ${t.error.split('\n').slice(0, 4).join('\n        ')}` : '';
    log(`${t.state === 'passed' ? 'pass' : 'FAIL'}  ${t.title}${error}`);
  }
  for (const n of result.notes) log(`note  ${n}`);
  for (const c of checks) {
    const prefix = c.name.startsWith('[') ? '' : '[UI] ';
    log(`${c.ok ? 'pass' : 'FAIL'}  ${prefix}${c.name}${c.detail ? `: ${c.detail}` : ''}`);
  }
  const passed = result.passed + checks.filter((c) => c.ok).length;
  const failed = result.failed + checks.filter((c) => !c.ok).length;
  process.stdout.write(`\ntest:vscode: ${passed} passed, ${failed} failed\n`);
  return result.failed === 0 && result.passed > 0 && checks.every((c) => c.ok) ? 0 : 1;
}

async function main(): Promise<number> {
  if (!fs.existsSync(VSIX))
    throw new Error(`${VSIX} is missing: run "npm run package" first (npm run test:vscode does).`);
  const desktop = await desktopVsCode();
  return desktop ? inDesktopVsCode(desktop) : inCodeServer();
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`test:vscode: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
