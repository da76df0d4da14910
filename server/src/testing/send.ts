import { performance } from 'perf_hooks';
import { Agent, request, type Dispatcher } from 'undici';
import type { BuiltRequest } from './request';

export interface SendOptions {
  /** Time to open the connection (TCP and TLS), ms. */
  connectTimeoutMs: number;
  /** Time from sending to the response headers, ms. */
  headersTimeoutMs: number;
  /** Longest pause while the body streams, ms. */
  bodyTimeoutMs: number;
  /** Bodies past this are cut, with a notice. */
  maxResponseBytes: number;
  /** At most this many requests at once (Amplitude sends 4 in parallel). */
  connections: number;
}

export const DEFAULT_SEND_OPTIONS: SendOptions = {
  connectTimeoutMs: 10_000,
  headersTimeoutMs: 30_000,
  bodyTimeoutMs: 30_000,
  maxResponseBytes: 10 * 1024 * 1024,
  connections: 4,
};

export interface EndpointResponse {
  ok: true;
  status: number;
  statusText: string;
  headers: Record<string, string>;
  body: string;
  bytes: number;
  truncated: boolean;
  /** Redirects are shown, not followed: Amplitude does not follow them either. */
  redirectTo?: string;
  timing: { waitingMs: number; downloadMs: number; totalMs: number };
}

export interface EndpointFailure {
  ok: false;
  /** What happened, in words a partner can act on. */
  message: string;
  code: string;
  timing: { totalMs: number };
}

export type SendResult = EndpointResponse | EndpointFailure;

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No Content',
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const record = e as { code?: unknown; name?: unknown };
    if (typeof record.code === 'string') codes.push(record.code);
    if (typeof record.name === 'string') codes.push(record.name);
  }
  return codes;
}

/** Turns a network failure into a sentence: what failed, the cause, and what to check. */
export function describeFailure(error: unknown, url: string, options: SendOptions): { code: string; message: string } {
  const codes = errorCodes(error);
  const host = (() => {
    try {
      return new URL(url).host;
    } catch {
      return url;
    }
  })();
  const detail = error instanceof Error ? error.message : String(error);
  const has = (...names: string[]) => names.find((n) => codes.includes(n));
  const code = has('AbortError')
    ? 'cancelled'
    : has('UND_ERR_CONNECT_TIMEOUT')
      ? 'connect-timeout'
      : has('UND_ERR_HEADERS_TIMEOUT')
        ? 'headers-timeout'
        : has('UND_ERR_BODY_TIMEOUT')
          ? 'body-timeout'
          : has('ENOTFOUND', 'EAI_AGAIN')
            ? 'dns'
            : has('ECONNREFUSED')
              ? 'refused'
              : has('ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE')
                ? 'reset'
                : codes.find((c) => /CERT|TLS|SSL/.test(c))
                  ? 'tls'
                  : 'network';
  const messages: Record<string, string> = {
    cancelled: 'The test was cancelled.',
    'connect-timeout': `Could not connect to ${host} within ${options.connectTimeoutMs} ms.`,
    'headers-timeout': `${host} accepted the request but sent no response within ${options.headersTimeoutMs} ms.`,
    'body-timeout': `${host} stopped sending the response body for more than ${options.bodyTimeoutMs} ms.`,
    dns: `The host name ${host} could not be resolved (DNS): check the URL.`,
    refused: `${host} refused the connection: nothing is listening on that port.`,
    reset: `${host} closed the connection before answering.`,
    tls: `The TLS handshake with ${host} failed (${codes.find((c) => /CERT|TLS|SSL/.test(c))}): check the server's certificate.`,
    network: `The request to ${host} failed.`,
  };
  return { code, message: `${messages[code]}${code === 'cancelled' ? '' : ` (${detail})`}` };
}

/** Sends built requests with undici; one connection pool per sender, closed with it. */
export class EndpointSender {
  private readonly agent: Agent;

  constructor(readonly options: SendOptions = DEFAULT_SEND_OPTIONS) {
    this.agent = new Agent({
      connect: { timeout: options.connectTimeoutMs },
      headersTimeout: options.headersTimeoutMs,
      bodyTimeout: options.bodyTimeoutMs,
      connections: options.connections,
    });
  }

  async send(built: BuiltRequest, signal?: AbortSignal): Promise<SendResult> {
    const started = performance.now();
    try {
      const response = await request(built.url, {
        method: built.method as Dispatcher.HttpMethod,
        headers: built.headers,
        body: built.body === '' ? undefined : built.body,
        dispatcher: this.agent,
        signal,
      });
      const headersAt = performance.now();
      const chunks: Buffer[] = [];
      let bytes = 0;
      let truncated = false;
      const declared = Number(response.headers['content-length']);
      if (Number.isFinite(declared) && declared <= this.options.maxResponseBytes) {
        // The common case: a small body of known size, read in one go.
        const buffer = Buffer.from(await response.body.arrayBuffer());
        chunks.push(buffer);
        bytes = buffer.length;
      } else
        for await (const chunk of response.body) {
          const buffer = chunk as Buffer;
          const room = this.options.maxResponseBytes - bytes;
          if (buffer.length > room) {
            if (room > 0) chunks.push(buffer.subarray(0, room));
            bytes += Math.max(room, 0);
            truncated = true;
            response.body.destroy();
            break;
          }
          chunks.push(buffer);
          bytes += buffer.length;
        }
      const done = performance.now();
      const headers: Record<string, string> = {};
      for (const [key, value] of Object.entries(response.headers))
        if (value !== undefined) headers[key] = Array.isArray(value) ? value.join(', ') : value;
      const location = response.statusCode >= 300 && response.statusCode < 400 ? headers.location : undefined;
      return {
        ok: true,
        status: response.statusCode,
        statusText: STATUS_TEXT[response.statusCode] ?? '',
        headers,
        body: Buffer.concat(chunks).toString('utf8'),
        bytes,
        truncated,
        redirectTo: location,
        timing: { waitingMs: headersAt - started, downloadMs: done - headersAt, totalMs: done - started },
      };
    } catch (error) {
      return {
        ok: false,
        ...describeFailure(error, built.url, this.options),
        timing: { totalMs: performance.now() - started },
      };
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}
