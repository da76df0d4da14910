import { EventEmitter } from 'events';
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
  /** The whole request, from connecting to the last byte, ms: a server that trickles is still stopped. */
  totalTimeoutMs: number;
  /** Bodies past this are cut, with a notice. */
  maxResponseBytes: number;
  /** At most this many requests at once (Amplitude sends 4 in parallel). */
  connections: number;
}

export const DEFAULT_SEND_OPTIONS: SendOptions = {
  connectTimeoutMs: 10_000,
  headersTimeoutMs: 30_000,
  bodyTimeoutMs: 30_000,
  totalTimeoutMs: 120_000,
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

type FailureCode =
  | 'cancelled'
  | 'deadline'
  | 'connect-timeout'
  | 'headers-timeout'
  | 'body-timeout'
  | 'dns'
  | 'refused'
  | 'reset'
  | 'tls'
  | 'upgrade'
  | 'informational'
  | 'network';

/** The error codes (undici's, Node's) that name each failure, first match wins. */
/**
 * undici's own words for an answer it cannot take: a 101 upgrade nobody asked for is `bad upgrade`, or a
 * failed internal assert (whose text, `false == true` once bundled, means nothing to a partner); an
 * unasked 100 Continue, or an answer to no request, is `bad response`.
 */
function socketSaid(codes: string[], error: unknown, message: string): boolean {
  return codes.includes('UND_ERR_SOCKET') && error instanceof Error && error.message === message;
}

function failedAssertIn(codes: string[], error: unknown, method: string): boolean {
  return codes.includes('ERR_ASSERTION') && error instanceof Error && (error.stack ?? '').includes(`.${method} `);
}

const FAILURE_CODES: [FailureCode, (codes: string[], error: unknown) => boolean][] = [
  ['cancelled', (codes) => codes.includes('AbortError')],
  ['connect-timeout', (codes) => codes.includes('UND_ERR_CONNECT_TIMEOUT')],
  ['headers-timeout', (codes) => codes.includes('UND_ERR_HEADERS_TIMEOUT')],
  ['body-timeout', (codes) => codes.includes('UND_ERR_BODY_TIMEOUT')],
  ['dns', (codes) => codes.includes('ENOTFOUND') || codes.includes('EAI_AGAIN')],
  ['refused', (codes) => codes.includes('ECONNREFUSED')],
  ['upgrade', (codes, error) => failedAssertIn(codes, error, 'onUpgrade') || socketSaid(codes, error, 'bad upgrade')],
  ['informational', (codes, error) => socketSaid(codes, error, 'bad response')],
  ['reset', (codes) => ['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE'].some((c) => codes.includes(c))],
  ['tls', (codes) => codes.some((c) => /CERT|TLS|SSL/.test(c))],
];

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/**
 * Turns a network failure into a sentence: what failed, the cause, and what to check. `deadline`: the
 * request's own total deadline ended it (not the user).
 */
export function describeFailure(
  error: unknown,
  url: string,
  options: SendOptions,
  deadline?: 'before-headers' | 'during-body',
): { code: string; message: string } {
  const codes = errorCodes(error);
  const host = hostOf(url);
  const detail = error instanceof Error ? error.message : String(error);
  const code: FailureCode = deadline
    ? 'deadline'
    : (FAILURE_CODES.find(([, matches]) => matches(codes, error))?.[0] ?? 'network');
  const whole = `within ${options.totalTimeoutMs} ms (the request's whole deadline)`;
  const messages: Record<FailureCode, string> = {
    cancelled: 'The test was cancelled.',
    deadline:
      deadline === 'during-body'
        ? `${host} stopped sending the response body: the answer did not finish ${whole}, so the request was ` +
          'stopped. A server that trickles its answer or never ends it looks like this.'
        : `${host} sent no response ${whole}, so the request was stopped.`,
    'connect-timeout': `Could not connect to ${host} within ${options.connectTimeoutMs} ms.`,
    'headers-timeout': `${host} accepted the request but sent no response within ${options.headersTimeoutMs} ms.`,
    'body-timeout': `${host} stopped sending the response body for more than ${options.bodyTimeoutMs} ms.`,
    dns: `The host name ${host} could not be resolved (DNS): check the URL.`,
    refused: `${host} refused the connection: nothing is listening on that port.`,
    reset: `${host} closed the connection before answering.`,
    tls:
      `The TLS handshake with ${host} failed (${codes.find((c) => /CERT|TLS|SSL/.test(c))}): check the ` +
      `server's certificate.`,
    upgrade:
      `${host} answered 101 Switching Protocols (an upgrade to another protocol, such as WebSocket). ` +
      'Amplitude sends plain HTTP requests and never upgrades, so this answer is unexpected: the endpoint ' +
      'must answer with a final status (2xx when it accepted the request).',
    informational:
      `${host} sent an informational answer (1xx, such as 100 Continue) that the request did not ask for, ` +
      'or an answer to no request. Amplitude does not expect one: the endpoint must answer with a final status.',
    network: `The request to ${host} failed.`,
  };
  // An assert's text (`false == true`) says nothing a partner can act on.
  const withDetail =
    !['cancelled', 'deadline', 'upgrade', 'informational'].includes(code) && !codes.includes('ERR_ASSERTION');
  return { code, message: `${messages[code]}${withDetail ? ` (${detail})` : ''}` };
}

/** What undici takes as a request's signal: an emitter of 'abort', with `aborted` and `reason`. */
class RequestStop extends EventEmitter {
  aborted = false;
  reason: unknown;

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.emit('abort');
  }
}

interface ReadBody {
  body: Buffer;
  bytes: number;
  truncated: boolean;
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

  /**
   * One request, ended by whichever comes first: the answer, the caller's signal, or the request's
   * total deadline (undici's own timeouts measure pauses, so a trickling server would never end).
   */
  async send(built: BuiltRequest, signal?: AbortSignal): Promise<SendResult> {
    const started = performance.now();
    // One stop for the caller's signal and the deadline: an AbortController per request costs a replay dearly.
    const stop = new RequestStop();
    let byDeadline = false;
    const deadline = setTimeout(() => {
      byDeadline = true;
      stop.abort(new DOMException('The request passed its total deadline.', 'TimeoutError'));
    }, this.options.totalTimeoutMs);
    const cancel = () => stop.abort(signal?.reason);
    if (signal?.aborted) cancel();
    signal?.addEventListener('abort', cancel, { once: true });
    let headersAt: number | undefined;
    try {
      const response = await request(built.url, {
        method: built.method,
        headers: built.headers,
        body: built.body === '' ? undefined : built.body,
        dispatcher: this.agent,
        signal: stop,
      });
      headersAt = performance.now();
      const read = await this.readBody(response);
      if (byDeadline) throw stop.reason;
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
        body: read.body.toString('utf8'),
        bytes: read.bytes,
        truncated: read.truncated,
        redirectTo: location,
        timing: { waitingMs: headersAt - started, downloadMs: done - headersAt, totalMs: done - started },
      };
    } catch (error) {
      const phase = headersAt === undefined ? 'before-headers' : 'during-body';
      return {
        ok: false,
        ...describeFailure(error, built.url, this.options, byDeadline && !signal?.aborted ? phase : undefined),
        timing: { totalMs: performance.now() - started },
      };
    } finally {
      clearTimeout(deadline);
      signal?.removeEventListener('abort', cancel);
    }
  }

  /** The body, cut at maxResponseBytes (a notice says so): a huge or endless answer never fills memory. */
  private async readBody(response: Dispatcher.ResponseData): Promise<ReadBody> {
    const declared = Number(response.headers['content-length']);
    if (Number.isFinite(declared) && declared <= this.options.maxResponseBytes) {
      // The common case: a small body of known size, read in one go.
      const body = Buffer.from(await response.body.arrayBuffer());
      if (body.length <= this.options.maxResponseBytes) return { body, bytes: body.length, truncated: false };
    }
    const chunks: Buffer[] = [];
    let bytes = 0;
    for await (const chunk of response.body) {
      const buffer = chunk as Buffer;
      const room = this.options.maxResponseBytes - bytes;
      if (buffer.length > room) {
        if (room > 0) chunks.push(buffer.subarray(0, room));
        bytes += Math.max(room, 0);
        response.body.destroy();
        return { body: Buffer.concat(chunks), bytes, truncated: true };
      }
      chunks.push(buffer);
      bytes += buffer.length;
    }
    return { body: Buffer.concat(chunks), bytes, truncated: false };
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}
