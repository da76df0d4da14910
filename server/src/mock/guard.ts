import type * as http from 'http';
import { isIPv4 } from 'net';

/**
 * Who may talk to the mock. It listens on loopback only, and answers only a `Host` that names loopback: a web
 * page that rebinds its own name to 127.0.0.1 (DNS rebinding) still sends its own name as `Host`, and so cannot
 * read `/__mock/requests`, which holds the raw `Authorization` headers it was sent.
 */

/** True for an address the mock may listen on: 127.0.0.0/8, ::1, localhost. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (bare.toLowerCase() === 'localhost' || bare === '::1') return true;
  return isIPv4(bare) && bare.startsWith('127.');
}

/** Why a request's `Host` is refused, or undefined when it names this loopback server (its port, or none). */
export function hostProblem(host: string | undefined, port: number): string | undefined {
  // Only HTTP/1.0 may leave Host out (Node answers 400 for HTTP/1.1): no browser does, so no rebinding.
  if (host === undefined) return undefined;
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(host);
  const name = m?.[1] ?? '';
  const loopback = m !== null && (name.startsWith('[') ? name === '[::1]' : isLoopbackHost(name));
  if (!loopback)
    return 'the mock partner API answers only requests to 127.0.0.1, localhost or [::1] (Host header refused)';
  if (m[2] !== undefined && Number(m[2]) !== port) return `the mock partner API listens on port ${port}, not ${m[2]}`;
  return undefined;
}

const SAME_ORIGIN_FETCH = new Set(['same-origin', 'none']);

/**
 * Why a request to a `/__mock/` route is refused, or undefined. A browser names the page that sent a request
 * in `Origin` (and `Sec-Fetch-Site`): only the mock's own origin may read its log or change its behaviour. A
 * state-changing route takes only `application/json`, which no cross-origin form or simple request can send.
 */
export function adminProblem(req: http.IncomingMessage): string | undefined {
  const origin = req.headers.origin;
  if (origin !== undefined && origin.toLowerCase() !== `http://${(req.headers.host ?? '').toLowerCase()}`)
    return `the mock's own routes refuse requests from other origins (${origin.slice(0, 100)})`;
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && !SAME_ORIGIN_FETCH.has(site))
    return `the mock's own routes refuse requests a browser marks as ${site.slice(0, 20)}`;
  if (req.method === 'GET' || req.method === 'HEAD') return undefined;
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json')
    return `the mock's own routes take only Content-Type: application/json, not "${type.slice(0, 60) || 'none'}"`;
  return undefined;
}
