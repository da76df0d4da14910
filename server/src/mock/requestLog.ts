import type { RouteRole } from './routes';
import type { MockRequest } from './server';

/** One request as the mock received it, for GET /__mock/requests (and golden tests). */
export interface RecordedRequest {
  route: RouteRole | 'unmatched';
  method: string;
  path: string;
  headers: Record<string, string>;
  /** The parsed JSON body, or the raw text when it is not JSON or was cut (`bodyCut`). */
  body: unknown;
  /** Present when the body was longer than the log keeps: its first characters are `body`, as text. */
  bodyCut?: { keptChars: number; bodyBytes: number };
}

/** How big the log is, on GET /__mock/state: what it holds and what it had to forget or cut. */
export interface RequestLogReport {
  entries: number;
  bytes: number;
  maxBytes: number;
  maxEntries: number;
  /** Older requests forgotten to stay within the budget. */
  dropped: number;
  /** Requests whose body was cut at `bodyLimitChars`. */
  cut: number;
  bodyLimitChars: number;
}

export interface RequestLogLimits {
  maxBytes?: number;
  maxEntries?: number;
  bodyLimitChars?: number;
}

const NOT_LOGGED = new Set(['host', 'content-length', 'connection', 'keep-alive', 'transfer-encoding']);
/** What an entry costs besides its text: the object and its fields. */
const ENTRY_OVERHEAD = 256;

interface Entry {
  request: Omit<RecordedRequest, 'body'>;
  /** The body text kept (a copy, never a slice holding the whole body alive). */
  text: string;
  isJson: boolean;
  bytes: number;
}

/** A copy of the first `chars` characters, not cutting a surrogate pair in two. */
function headOf(text: string, chars: number): string {
  let end = Math.min(chars, text.length);
  const last = text.charCodeAt(end - 1);
  if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
  // A slice would keep the whole body alive (V8 slices share the parent); a Buffer round trip copies it.
  return Buffer.from(text.slice(0, end), 'utf16le').toString('utf16le');
}

/** The body as it was logged: parsed JSON, its text, or nothing for an empty one. */
function bodyOf(text: string, isJson: boolean): unknown {
  if (isJson) return JSON.parse(text) as unknown;
  return text === '' ? undefined : text;
}

/** Strings count two bytes a character: V8 keeps non-Latin-1 text as UTF-16. */
const textBytes = (text: string) => 2 * text.length;

/**
 * The last requests, within a byte budget: bodies past `bodyLimitChars` are cut (and marked), and the oldest
 * entries are forgotten (and counted) when the whole log would pass `maxBytes` or `maxEntries`. It keeps the
 * body text, not the parsed JSON (whose objects can take ten times the text's size), and parses it on reading.
 */
export class RequestLog {
  private readonly entries: Entry[] = [];
  private bytes = 0;
  private dropped = 0;
  private cut = 0;
  readonly maxBytes: number;
  readonly maxEntries: number;
  readonly bodyLimitChars: number;

  constructor(limits: RequestLogLimits = {}) {
    this.maxBytes = limits.maxBytes ?? 8 * 1024 * 1024;
    this.maxEntries = limits.maxEntries ?? 500;
    this.bodyLimitChars = limits.bodyLimitChars ?? 64 * 1024;
  }

  remember(route: RecordedRequest['route'], req: MockRequest): void {
    const entry = this.entryOf(route, req);
    this.entries.push(entry);
    this.bytes += entry.bytes;
    while (this.entries.length > this.maxEntries || (this.bytes > this.maxBytes && this.entries.length > 1)) {
      const old = this.entries.shift();
      this.bytes -= old?.bytes ?? 0;
      this.dropped++;
    }
  }

  requests(): RecordedRequest[] {
    return this.entries.map(({ request, text, isJson }) => ({ ...request, body: bodyOf(text, isJson) }));
  }

  report(): RequestLogReport {
    const { maxBytes, maxEntries, bodyLimitChars } = this;
    return {
      entries: this.entries.length,
      bytes: this.bytes,
      maxBytes,
      maxEntries,
      dropped: this.dropped,
      cut: this.cut,
      bodyLimitChars,
    };
  }

  private entryOf(route: RecordedRequest['route'], req: MockRequest): Entry {
    const headers: Record<string, string> = {};
    let bytes = ENTRY_OVERHEAD;
    for (const [key, value] of Object.entries(req.headers).sort(([a], [b]) => a.localeCompare(b))) {
      if (NOT_LOGGED.has(key) || value === undefined) continue;
      headers[key] = Array.isArray(value) ? value.join(', ') : value;
      bytes += textBytes(key) + textBytes(headers[key]);
    }
    const path = req.url.pathname + req.url.search;
    const request: Entry['request'] = { route, method: req.method, path, headers };
    const whole = req.raw.length <= this.bodyLimitChars;
    const text = whole ? req.raw : headOf(req.raw, this.bodyLimitChars);
    if (!whole) {
      request.bodyCut = { keptChars: text.length, bodyBytes: Buffer.byteLength(req.raw) };
      this.cut++;
    }
    bytes += textBytes(path) + textBytes(req.method) + textBytes(text);
    const isJson = whole && req.jsonError === undefined && req.raw !== '';
    return { request, text, isJson, bytes };
  }
}
