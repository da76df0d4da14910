import * as http from 'http';
import type { AddressInfo } from 'net';
import { behaviourFromJson, BehaviourError, type Behaviour } from './behaviour';
import { adminProblem, hostProblem, isLoopbackHost } from './guard';

/** One request as a handler sees it: the body read (within the cap) and parsed when it is JSON. */
export interface MockRequest {
  method: string;
  url: URL;
  headers: http.IncomingHttpHeaders;
  raw: string;
  /** The parsed body; undefined when empty or not JSON (`jsonError` says which). */
  json: unknown;
  jsonError?: string;
}

/** What to answer: a status and JSON body, or a misbehaviour (per route, from a fixtures file). */
export interface MockAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  behaviour?: Behaviour;
  delayMs?: number;
}

/** Plays one partner API: routes requests, keeps what they did, tells it on GET /__mock/state. */
export interface MockHandler<State = unknown> {
  /** Synchronous for the manifest-derived mock; the description-driven one asks Prism, which is asynchronous. */
  handle(request: MockRequest): MockAnswer | Promise<MockAnswer>;
  state(): State;
  /** What it received, oldest first (GET /__mock/requests), when it keeps a log. */
  requests?(): unknown[];
  reset(): void;
}

export interface MockServerOptions {
  port?: number;
  /** A loopback address only (127.0.0.1 by default, localhost, ::1): anything else is refused at start. */
  host?: string;
  behaviour?: Behaviour;
  /** Request bodies past this are refused with 413 and never held (default 64 MB). */
  maxBodyBytes?: number;
}

export interface RunningMock {
  url: string;
  setBehaviour(behaviour: Behaviour): void;
  close(): Promise<void>;
}

/** Statuses that never carry a body (RFC 9110, sections 15.2, 15.3.5 and 15.4.5). */
const bodiless = (status: number) => status < 200 || status === 204 || status === 304;

/**
 * Answers mocks send: JSON with its length, and a marker header that says the bundled mock answered. A 1xx,
 * 204 or 304 gets no body and no Content-Length (Node drops the body but would keep the header); a 1xx
 * answered as if final also closes the connection, since the client takes it as interim and waits on.
 */
function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  if (bodiless(status)) {
    res.writeHead(status, { 'X-Amplitude-Mock': '1', ...headers, ...(status < 200 ? { Connection: 'close' } : {}) });
    return void res.end();
  }
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...(text === '' ? {} : { 'Content-Type': 'application/json' }),
    'Content-Length': String(Buffer.byteLength(text)),
    'X-Amplitude-Mock': '1',
    ...headers,
  });
  res.end(text);
}

/** A JSON text in pieces of about 64K characters, so that a state of millions of members passes no string limit. */
function* jsonChunks(value: unknown): Generator<string> {
  let pending = '';
  for (const piece of jsonPieces(value)) {
    pending += piece;
    if (pending.length >= 64 * 1024) {
      yield pending;
      pending = '';
    }
  }
  if (pending !== '') yield pending;
}

/** JSON.stringify's text, piece by piece (undefined in an array is null, in an object left out). */
function* jsonPieces(value: unknown): Generator<string> {
  if (value === null || typeof value !== 'object') {
    yield JSON.stringify(value) ?? 'null';
  } else if (Array.isArray(value)) {
    yield '[';
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (i > 0) yield ',';
      if (item !== null && typeof item === 'object') yield* jsonPieces(item);
      else yield JSON.stringify(item) ?? 'null';
    }
    yield ']';
  } else {
    yield '{';
    let first = true;
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined) continue;
      yield `${first ? '' : ','}${JSON.stringify(key)}:`;
      first = false;
      yield* jsonPieces(item);
    }
    yield '}';
  }
}

/** A JSON answer written as it is made, with back-pressure: the mock's state and log, however big. */
function streamJson(res: http.ServerResponse, body: unknown, headers: Record<string, string>): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(200, { 'Content-Type': 'application/json', 'X-Amplitude-Mock': '1', ...headers });
  const chunks = jsonChunks(body);
  const pump = () => {
    for (let next = chunks.next(); !res.destroyed; next = chunks.next()) {
      if (next.done) return void res.end();
      if (!res.write(next.value)) return void res.once('drain', pump);
    }
  };
  res.on('error', () => undefined);
  pump();
}

/** What the mock's own answers carry: not to be read by other origins, nor kept. */
const ADMIN_HEADERS = {
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
};

function pumpHuge(res: http.ServerResponse, bytes: number): void {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  const chunk = Buffer.alloc(64 * 1024, 'x');
  let left = bytes;
  const pump = () => {
    while (left > 0) {
      const piece = chunk.subarray(0, Math.min(chunk.length, left));
      left -= piece.length;
      if (!res.write(piece)) return void res.once('drain', pump);
    }
    res.end();
  };
  res.on('error', () => undefined);
  pump();
}

/** One byte at a time, forever (until the client goes): a server whose pauses never trip a pause timeout. */
function trickle(res: http.ServerResponse, bytesPerSecond: number): void {
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '1000000' });
  const timer = setInterval(() => {
    if (res.destroyed) clearInterval(timer);
    else res.write(' '.repeat(Math.max(1, Math.floor(bytesPerSecond / 10))));
  }, 100);
  res.on('close', () => clearInterval(timer));
}

/** Writes a misbehaviour; `answer` is the normal answer, for those that only delay or wrap it. */
function misbehave(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  behaviour: Behaviour,
  answer: () => void,
): void {
  switch (behaviour.kind) {
    case 'status':
      return sendJson(res, behaviour.status, behaviour.body ?? { error: `mock status ${behaviour.status}` });
    case 'reset':
      return void req.socket.destroy();
    case 'invalid-json':
      res.writeHead(200, { 'Content-Type': 'application/json' });
      return void res.end('{"listId": "unterminated');
    case 'rate-limit':
      return sendJson(
        res,
        429,
        { error: 'rate limited', error_code: 429 },
        { 'Retry-After': String(behaviour.retryAfterSeconds) },
      );
    case 'redirect-loop':
      res.writeHead(302, { Location: req.url ?? '/' });
      return void res.end();
    case 'huge':
      return pumpHuge(res, behaviour.bytes);
    case 'stall-body':
      res.writeHead(200, { 'Content-Type': 'application/json' });
      return void res.write('{"listId": ');
    case 'trickle':
      return trickle(res, behaviour.bytesPerSecond);
    case 'slow':
      return void setTimeout(answer, behaviour.delayMs);
    default:
      return answer();
  }
}

function parseBody(raw: string): { json: unknown; jsonError?: string } {
  if (raw === '') return { json: undefined };
  try {
    return { json: JSON.parse(raw) as unknown };
  } catch (error) {
    return { json: undefined, jsonError: error instanceof Error ? error.message : String(error) };
  }
}

/** Reads a request body up to the cap; past it, answers 413 once and closes the connection. */
function readBody(req: http.IncomingMessage, res: http.ServerResponse, maxBytes: number, done: (raw: string) => void) {
  const chunks: Buffer[] = [];
  let size = 0;
  let refused = false;
  req.on('data', (chunk: Buffer) => {
    if (refused) return;
    size += chunk.length;
    if (size <= maxBytes) return void chunks.push(chunk);
    refused = true;
    chunks.length = 0;
    res.setHeader('Connection', 'close');
    sendJson(res, 413, { error: `request body larger than ${maxBytes} bytes`, error_code: 413 });
    req.pause();
    res.on('finish', () => req.socket.destroy());
  });
  req.on('error', () => undefined);
  res.on('error', () => undefined);
  req.on('end', () => {
    if (!refused) done(Buffer.concat(chunks).toString('utf8'));
  });
}

/** The mock's own routes under /__mock/: behaviour, state, requests, reset. */
class ControlRoutes {
  constructor(
    private readonly handler: MockHandler,
    public behaviour: Behaviour,
  ) {}

  /** True when the request was one of the control routes (and is answered). */
  answer(req: http.IncomingMessage, res: http.ServerResponse, url: URL, raw: string): boolean {
    const route = `${req.method ?? 'GET'} ${url.pathname}`;
    switch (route) {
      case 'POST /__mock/behaviour':
        this.setBehaviour(res, raw);
        return true;
      case 'GET /__mock/state':
        streamJson(res, this.handler.state(), ADMIN_HEADERS);
        return true;
      case 'GET /__mock/requests':
        streamJson(res, this.handler.requests?.() ?? [], ADMIN_HEADERS);
        return true;
      case 'POST /__mock/reset':
        this.handler.reset();
        sendJson(res, 200, { reset: true }, ADMIN_HEADERS);
        return true;
      default:
        return false;
    }
  }

  private setBehaviour(res: http.ServerResponse, raw: string): void {
    try {
      this.behaviour = raw.trim() === '' ? { kind: 'ok' } : behaviourFromJson(JSON.parse(raw) as unknown);
      sendJson(res, 200, { behaviour: this.behaviour }, ADMIN_HEADERS);
    } catch (error) {
      const message =
        error instanceof BehaviourError ? error.message : 'The body must be JSON, for example {"kind": "status:401"}.';
      sendJson(res, 400, { error: message }, ADMIN_HEADERS);
    }
  }
}

/** The handler's answer, with the route's own delay and misbehaviour from its fixture. */
function respond(handler: MockHandler, req: http.IncomingMessage, res: http.ServerResponse, url: URL, raw: string) {
  const answer = (reply: MockAnswer) => {
    const send = () => sendJson(res, reply.status, reply.body, reply.headers);
    const delayed = () => (reply.delayMs ? void setTimeout(send, reply.delayMs) : send());
    if (reply.behaviour) misbehave(req, res, reply.behaviour, delayed);
    else delayed();
  };
  const reply = handler.handle({ method: req.method ?? 'GET', url, headers: req.headers, raw, ...parseBody(raw) });
  if (!(reply instanceof Promise)) return answer(reply);
  reply.then(answer, (error: unknown) =>
    sendJson(res, 500, { error: error instanceof Error ? error.message : String(error) }),
  );
}

/** Why the request is not answered: a Host that is not loopback, or another origin on the mock's own routes. */
function refusal(req: http.IncomingMessage, port: number): string | undefined {
  // Node keeps the first of two Host headers; a proxy in front may read the other: take neither.
  if (req.rawHeaders.filter((name, i) => i % 2 === 0 && name.toLowerCase() === 'host').length > 1)
    return 'a request may carry one Host header';
  return (
    hostProblem(req.headers.host, port) ??
    (new URL(req.url ?? '/', 'http://mock').pathname.startsWith('/__mock/') ? adminProblem(req) : undefined)
  );
}

/** 403 with the reason, and the connection closed: a refused request's body is not read. */
function refuse(req: http.IncomingMessage, res: http.ServerResponse, reason: string): void {
  res.setHeader('Connection', 'close');
  res.on('finish', () => req.socket.destroy());
  res.on('error', () => undefined);
  req.on('error', () => undefined);
  sendJson(res, 403, { error: reason, error_code: 403 }, ADMIN_HEADERS);
}

/**
 * A real HTTP server around a handler: the control routes (`/__mock/behaviour`, `/__mock/state`,
 * `/__mock/reset`), the body cap, and the misbehaviours. No input can crash it: every handler error
 * becomes a 500 answer.
 */
export function startMockServer(handler: MockHandler, options: MockServerOptions = {}): Promise<RunningMock> {
  const control = new ControlRoutes(handler, options.behaviour ?? { kind: 'ok' });
  const answer = (req: http.IncomingMessage, res: http.ServerResponse, raw: string) => {
    const url = new URL(req.url ?? '/', 'http://mock');
    if (url.pathname.startsWith('/__mock/') && control.answer(req, res, url, raw)) return;
    misbehave(req, res, control.behaviour, () => respond(handler, req, res, url, raw));
  };
  const server = http.createServer((req, res) => {
    const refused = refusal(req, (server.address() as AddressInfo).port);
    if (refused !== undefined) return refuse(req, res, refused);
    readBody(req, res, options.maxBodyBytes ?? 64 * 1024 * 1024, (raw) => {
      try {
        answer(req, res, raw);
      } catch (error) {
        sendJson(res, 500, { error: error instanceof Error ? error.message : String(error) });
      }
    });
  });
  server.keepAliveTimeout = 5000;
  server.headersTimeout = 30_000;
  server.requestTimeout = 0;
  return listen(server, options, control);
}

function listen(server: http.Server, options: MockServerOptions, control: ControlRoutes): Promise<RunningMock> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host))
    return Promise.reject(
      new Error(`The mock partner API listens on loopback only (127.0.0.1, localhost or ::1), not "${host}".`),
    );
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host.replace(/^\[(.*)\]$/, '$1'), () => {
      const address = server.address() as AddressInfo;
      const name = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve({
        url: `http://${name}:${address.port}`,
        setBehaviour: (b) => {
          control.behaviour = b;
        },
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
