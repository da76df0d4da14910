import { spawn, type ChildProcess } from 'child_process';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { Agent, request } from 'undici';
import { REPO } from '../test/helpers/lspClient';

/**
 * The bundled mock partner API in its own process (`node dist/mock-server.js`), as a partner's API is: in
 * the bench's process it would take turns on one thread with the code being measured.
 */
export function startMockProcess(args: string[]): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [path.join(REPO, 'dist', 'mock-server.js'), '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /listening on (\S+)/.exec(out)?.[1];
      if (url) resolve({ url, child });
    });
    child.on('exit', (code) => reject(new Error(`the mock server exited (${code}) before listening: ${out}`)));
  });
}

/** The reference: a plain undici loop sending the same bodies at the same concurrency; the time it took. */
export async function plainLoop(
  requests: readonly { url: string; headers: Record<string, string>; body: string }[],
  concurrency: number,
): Promise<number> {
  const agent = new Agent({ connections: concurrency });
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests.length) {
        const r = requests[next++];
        const response = await request(r.url, { method: 'POST', headers: r.headers, body: r.body, dispatcher: agent });
        await response.body.text();
      }
    }),
  );
  const elapsed = performance.now() - started;
  await agent.close();
  return elapsed;
}

/**
 * One line of a bench's verdict. A target is PASS or FAIL; `atLimit` marks a figure that cannot go further on
 * this two-core machine for a reason that was measured: it prints as INFO with the figure and that reason, so a
 * line that will always miss does not hide a real regression among the others.
 */
export interface BenchCheck {
  name: string;
  ok: boolean;
  figure: string;
  atLimit?: string;
}

/** Prints each check; the exit code is 1 only when a real target (not an at-limit figure) is missed. */
export function reportChecks(checks: readonly BenchCheck[]): void {
  for (const c of checks) {
    if (c.atLimit !== undefined) console.log(`INFO  ${c.name}: ${c.figure}\n      why it stays there: ${c.atLimit}`);
    else console.log(`${c.ok ? 'PASS' : 'FAIL'}  ${c.name}: ${c.figure}`);
  }
  if (checks.some((c) => c.atLimit === undefined && !c.ok)) process.exitCode = 1;
}
