import * as http from 'http';
import type { AddressInfo } from 'net';

/** How the mock misbehaves, for testing what a partner's API can do to a sync. */
export type Behaviour =
  | { kind: 'ok' }
  | { kind: 'status'; status: number; body?: unknown }
  | { kind: 'slow'; delayMs: number }
  | { kind: 'huge'; bytes: number }
  | { kind: 'reset' }
  | { kind: 'invalid-json' }
  | { kind: 'rate-limit'; retryAfterSeconds: number }
  | { kind: 'redirect-loop' }
  | { kind: 'stall-body' };

export interface MockAuth {
  bearer?: string;
  basic?: { key: string; secret: string };
  /** An exact header the partner's API expects, e.g. Authorization: App key. */
  header?: { name: string; value: string };
}

export interface MockOptions {
  port?: number;
  host?: string;
  /** Where the list creation response keeps the new id (the manifest's listIdPath). */
  listIdPath?: string;
  auth?: MockAuth;
  behaviour?: Behaviour;
}

export interface MockState {
  lists: Record<string, string[]>;
  properties: Record<string, boolean>;
  events: number;
  requests: number;
}

export interface MockPartner {
  url: string;
  state(): MockState;
  setBehaviour(behaviour: Behaviour): void;
  close(): Promise<void>;
}

/** The first array in a JSON body: the batch of users, whatever the payload calls it. */
function firstArray(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) {
      const found = firstArray(v);
      if (found) return found;
    }
  }
  return undefined;
}

function setAtPath(path: string, id: string): unknown {
  const segments = path.split('.').filter(Boolean);
  let value: unknown = id;
  for (let i = segments.length - 1; i >= 0; i--) value = { [segments[i]]: value };
  return value;
}

function memberKey(item: unknown): string {
  return typeof item === 'string' ? item : JSON.stringify(item);
}

function firstBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) {
      const found = firstBoolean(v);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/**
 * A property update for one user: a boolean in the item (or else in the payload) is the membership
 * (true when not said); the item's other fields name the user.
 */
function propertyUpdate(item: unknown, body: unknown): { user: string; member: boolean } {
  if (item && typeof item === 'object' && !Array.isArray(item)) {
    const rest = Object.entries(item).filter(([, v]) => typeof v !== 'boolean');
    const user = rest.length === 1 ? rest[0][1] : Object.fromEntries(rest);
    return { user: memberKey(user), member: firstBoolean(item) ?? firstBoolean(body) ?? true };
  }
  return { user: memberKey(item), member: firstBoolean(body) ?? true };
}

function authorized(req: http.IncomingMessage, auth: MockAuth | undefined): boolean {
  const header = req.headers.authorization ?? '';
  if (!auth || (!auth.bearer && !auth.basic && !auth.header)) return true;
  if (auth.bearer && header === `Bearer ${auth.bearer}`) return true;
  if (auth.basic && header === `Basic ${Buffer.from(`${auth.basic.key}:${auth.basic.secret}`).toString('base64')}`)
    return true;
  if (auth.header && req.headers[auth.header.name.toLowerCase()] === auth.header.value) return true;
  return false;
}

/** A real HTTP server playing a partner's API: list creation, add, remove, property updates, event intake. */
export function startMockPartner(options: MockOptions = {}): Promise<MockPartner> {
  const lists = new Map<string, Set<string>>();
  const properties = new Map<string, boolean>();
  let events = 0;
  let requests = 0;
  let nextList = 1;
  let behaviour: Behaviour = options.behaviour ?? { kind: 'ok' };
  const listIdPath = options.listIdPath ?? 'listId';

  const send = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(text),
      ...headers,
    });
    res.end(text);
  };

  /** `delayed`: a slow answer, already waited for: answer normally now. */
  const handle = (req: http.IncomingMessage, res: http.ServerResponse, raw: string, delayed: boolean) => {
    const url = new URL(req.url ?? '/', 'http://mock');
    if (url.pathname === '/__mock/behaviour' && req.method === 'POST') {
      behaviour = JSON.parse(raw || '{"kind":"ok"}') as Behaviour;
      return send(res, 200, { behaviour });
    }
    if (url.pathname === '/__mock/state') return send(res, 200, snapshot());
    requests++;
    switch (delayed ? 'ok' : behaviour.kind) {
      case 'status': {
        const b = behaviour as Extract<Behaviour, { kind: 'status' }>;
        return send(res, b.status, b.body ?? { error: `mock status ${b.status}` });
      }
      case 'reset':
        return req.socket.destroy();
      case 'invalid-json':
        res.writeHead(200, { 'Content-Type': 'application/json' });
        return res.end('{"listId": "unterminated');
      case 'rate-limit':
        return send(
          res,
          429,
          { error: 'rate limited', error_code: 429 },
          { 'Retry-After': String((behaviour as Extract<Behaviour, { kind: 'rate-limit' }>).retryAfterSeconds) },
        );
      case 'redirect-loop':
        res.writeHead(302, { Location: url.pathname + url.search });
        return res.end();
      case 'huge': {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        const chunk = Buffer.alloc(64 * 1024, 'x');
        let left = (behaviour as Extract<Behaviour, { kind: 'huge' }>).bytes;
        const pump = () => {
          while (left > 0) {
            const piece = chunk.subarray(0, Math.min(chunk.length, left));
            left -= piece.length;
            if (!res.write(piece)) return res.once('drain', pump);
          }
          res.end();
        };
        res.on('error', () => undefined);
        return pump();
      }
      case 'stall-body':
        res.writeHead(200, { 'Content-Type': 'application/json' });
        return res.write('{"listId": ');
      default:
        break;
    }
    let body: unknown;
    try {
      body = raw === '' ? {} : JSON.parse(raw);
    } catch {
      return send(res, 400, { error: 'body is not JSON', error_code: 400 });
    }
    // Amplitude's own HTTP API v2, as an ingestion source calls it: the key is in the body.
    if (/httpapi/.test(url.pathname)) {
      const batch = body as { api_key?: unknown; events?: unknown };
      if (typeof batch.api_key !== 'string' || !Array.isArray(batch.events))
        return send(res, 400, {
          code: 400,
          error: 'Request missing required field',
          missing_field: typeof batch.api_key !== 'string' ? 'api_key' : 'events',
        });
      events += batch.events.length;
      return send(res, 200, {
        code: 200,
        events_ingested: batch.events.length,
        payload_size_bytes: Buffer.byteLength(raw),
        server_upload_time: Date.now(),
      });
    }
    if (!authorized(req, options.auth)) return send(res, 401, { error: 'invalid api key', error_code: 401 });
    const knownList = url.pathname.split('/').find((segment) => lists.has(decodeURIComponent(segment)));
    const items = firstArray(body);
    if (knownList) {
      const members = lists.get(decodeURIComponent(knownList)) as Set<string>;
      if (!items) return send(res, 400, { error: 'no users in the payload', error_code: 1002 });
      const removing = /remove|delete/i.test(url.pathname) || req.method === 'DELETE';
      for (const item of items) removing ? members.delete(memberKey(item)) : members.add(memberKey(item));
      return send(res, 200, { [removing ? 'removed' : 'added']: items.length, size: members.size });
    }
    if (/track|event/i.test(url.pathname)) {
      const count = Array.isArray((body as { events?: unknown }).events)
        ? (body as { events: unknown[] }).events.length
        : 1;
      events += count;
      return send(res, 200, { accepted: count });
    }
    if (items) {
      for (const item of items) {
        const { user, member } = propertyUpdate(item, body);
        properties.set(user, member);
      }
      return send(res, 200, { updated: items.length });
    }
    if (/lists|audiences/i.test(url.pathname) || req.method === 'POST') {
      const id = `list-${nextList++}`;
      lists.set(id, new Set());
      return send(res, 200, setAtPath(listIdPath, id));
    }
    return send(res, 404, { error: 'not found', error_code: 404 });
  };

  const snapshot = (): MockState => ({
    lists: Object.fromEntries([...lists].map(([id, members]) => [id, [...members]])),
    properties: Object.fromEntries(properties),
    events,
    requests,
  });

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      if (behaviour.kind === 'slow' && !req.url?.startsWith('/__mock/'))
        setTimeout(() => handleSafely(req, res, raw, true), behaviour.delayMs);
      else handleSafely(req, res, raw, false);
    });
  });
  const handleSafely = (req: http.IncomingMessage, res: http.ServerResponse, raw: string, delayed: boolean) => {
    try {
      handle(req, res, raw, delayed);
    } catch (error) {
      if (!res.headersSent) send(res, 500, { error: error instanceof Error ? error.message : String(error) });
    }
  };
  server.keepAliveTimeout = 5000;

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      const address = server.address() as AddressInfo;
      resolve({
        url: `http://${address.address}:${address.port}`,
        state: snapshot,
        setBehaviour: (b) => {
          behaviour = b;
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
