import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { REPO } from './lspClient';

export const CLI = path.join(REPO, 'dist', 'cli.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** Killed at the time limit: the command hung. */
  timedOut: boolean;
}

/** Runs the built CLI as a process; kills it after `timeoutMs` (a hang is a result, not a stuck test). */
export function runCliProcess(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<CliRun> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd ?? REPO,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 30_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started, timedOut });
    });
  });
}

/** A temporary workspace (a git root, as the CLI finds workspaces) holding `files` (path -> text or bytes). */
export function makeWorkspace(files: Record<string, string | Buffer>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'amp-ws-'));
  fs.mkdirSync(path.join(root, '.git'));
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(root, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  return root;
}

/** A copy of an example's folder inside a fresh workspace; returns the manifest's path there. */
export function exampleWorkspace(exampleFile: string, text?: string): string {
  const root = makeWorkspace({});
  const dir = path.join(root, 'integration');
  fs.cpSync(path.dirname(exampleFile), dir, { recursive: true });
  const file = path.join(dir, path.basename(exampleFile));
  if (text !== undefined) fs.writeFileSync(file, text);
  return file;
}
