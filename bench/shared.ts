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
