import { spawn, type ChildProcess } from 'child_process';
import * as path from 'path';
import { REPO } from './lspClient';

export const MOCK_SERVER = path.join(REPO, 'dist', 'mock-server.js');

export interface MockProcess {
  url: string;
  child: ChildProcess;
  /** What it wrote to stderr so far. */
  stderr(): string;
  stop(): Promise<void>;
}

/**
 * Starts `dist/mock-server.js` as its own process on a free port and waits for its "listening on" line;
 * rejects with its output when it exits first (a refused description, a bad flag).
 */
export function startMockProcess(args: string[], cwd = REPO): Promise<MockProcess> {
  const child = spawn(process.execPath, [MOCK_SERVER, '--port', '0', ...args], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      const m = /listening on (http:\/\/\S+)/.exec(stdout);
      if (!m) return;
      resolve({
        url: m[1],
        child,
        stderr: () => stderr,
        stop: () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          return exited;
        },
      });
    });
    child.once('exit', (code) =>
      reject(new Error(`mock-server exited (${code}) before listening:\n${stdout}${stderr}`)),
    );
  });
}

/** Runs `dist/mock-server.js` to its end (for arguments it must refuse): exit code and output. */
export function runMockProcess(args: string[], cwd = REPO): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MOCK_SERVER, '--port', '0', ...args], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    // A mock that started instead of refusing is a failure the caller sees in `out`; stop it.
    child.stdout.on('data', () => {
      if (/listening on/.test(out)) child.kill('SIGTERM');
    });
    child.once('close', (code) => resolve({ code, out }));
  });
}
