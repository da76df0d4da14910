import { createInstance, getHttpOperationsFromSpec, type IHttpRequest } from '@stoplight/prism-http';
import * as path from 'path';
import type { ApiDescription, ApiSecurityScheme } from '../contract/description';
import { parseListIdPath } from '../manifest/listIdPath';
import type { ManifestModel } from '../manifest/model';
import { isObject } from '../base/value';
import { readListId } from '../testing/cohort/listId';
import { authorized, type MockAuth } from './auth';
import { manifestHandler, type ManifestMockState, type MockFixtures } from './manifestHandler';
import type { MockLimits } from './members';
import { RequestLog } from './requestLog';
import type { MockAnswer, MockHandler, MockRequest } from './server';

/**
 * A mock partner API that plays the partner's own API description with Stoplight Prism's HTTP engine: each
 * request routed to an operation and validated against it (parameters, security, request body), answered from
 * the description's examples or, without one, generated from its schemas (static, so the same every run). A
 * refused request gets the 4xx the description documents (else 400) with the violations in the body. With a
 * manifest, the manifest-derived mock keeps the lists and properties behind it, so end-state verification works,
 * and list creation's answer carries a new list's id where the description's answer keeps it.
 */

type PrismOperations = Awaited<ReturnType<typeof getHttpOperationsFromSpec>>;
type PrismInstance = ReturnType<typeof createInstance>;

/** One request the description refused, as the state lists it. */
export interface Refusal {
  method: string;
  path: string;
  /** The operation it was routed to ("POST /api/lists/{id}/relationships/profiles/"), when one matched. */
  operation?: string;
  status: number;
  violations: string[];
}

export interface DescriptionMockState extends Omit<ManifestMockState, 'mock'> {
  mock: 'description';
  /** The description's title, or its file name. */
  description: string;
  /** Requests answered by operation ("POST /api/lists/"). */
  operations: Record<string, number>;
  refusedCount: number;
  /** The latest refusals (at most 20). */
  refusals: Refusal[];
}

export interface DescriptionMockOptions {
  /** With a manifest: its lists and properties are kept (the manifest-derived mock's bookkeeping). */
  manifest?: ManifestModel;
  fixtures?: MockFixtures;
  limits?: MockLimits;
  /** An exact credential on top of the description's security scheme (the scheme alone checks its form). */
  auth?: MockAuth;
  /** Where list creation's answer keeps the id (default: the manifest's listIdPath). */
  listIdPath?: string;
}

/** The description cannot be played (Prism could not read its operations). */
export class DescriptionMockError extends Error {}

const REFUSALS_KEPT = 20;
/** DiagnosticSeverity.Error of @stoplight/types: a violation (1 and up are warnings and hints). */
const ERROR_SEVERITY = 0;
const VIOLATIONS_KEPT = 20;

/** Prism logs through pino (with its own "success" level); the mock says nothing of its own. */
const SILENT: Record<string, unknown> = (() => {
  const nothing = () => undefined;
  const logger: Record<string, unknown> = { debug: nothing, info: nothing, warn: nothing, error: nothing };
  logger.success = nothing;
  logger.child = () => logger;
  return logger;
})();

/** Prism's config: a mock (never a proxy), requests validated and security checked, answers static. */
const PRISM_CONFIG = {
  mock: { dynamic: false },
  checkSecurity: true,
  validateRequest: true,
  validateResponse: false,
  errors: false,
  upstreamProxy: undefined,
  isProxy: false,
} as const;

export async function descriptionHandler(
  description: ApiDescription,
  options: DescriptionMockOptions = {},
): Promise<DescriptionMock> {
  const external = externalReference(description.document);
  if (external !== undefined)
    throw new DescriptionMockError(
      `${path.basename(description.file)} keeps a circular reference to another file (${external.slice(0, 200)}): ` +
        'the mock plays descriptions whose references stay inside one file once resolved.',
    );
  let operations: PrismOperations;
  try {
    // OpenAPI callbacks would have Prism call URLs a request names: the mock partner API opens no connection.
    const read = await getHttpOperationsFromSpec(description.document as object);
    operations = read.map(({ callbacks: _callbacks, ...operation }) => operation);
  } catch (error) {
    const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new DescriptionMockError(`${path.basename(description.file)} cannot be played as a mock: ${why}.`);
  }
  return new DescriptionMock(description, operations, options);
}

/**
 * A `$ref` left in the resolved document that points outside it (a circular one across files stays a `$ref`):
 * Prism's own resolver would read it from the current folder, not through base/files.ts, so none may remain.
 */
function externalReference(document: unknown): string | undefined {
  const seen = new Set<unknown>();
  const pending: unknown[] = [document];
  while (pending.length > 0) {
    const value = pending.pop();
    if (value === null || typeof value !== 'object' || seen.has(value)) continue;
    seen.add(value);
    if (isObject(value) && typeof value.$ref === 'string' && !value.$ref.startsWith('#')) return value.$ref;
    pending.push(...(Array.isArray(value) ? (value as unknown[]) : Object.values(value as Record<string, unknown>)));
  }
  return undefined;
}

/** A request in Prism's terms: lower-case method, path and query, headers as single strings, the body parsed. */
function prismRequest(req: MockRequest, pathname: string): IHttpRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(req.url.searchParams.keys())) {
    const values = req.url.searchParams.getAll(key);
    query[key] = values.length === 1 ? values[0] : values;
  }
  let body: unknown = req.json;
  if (body === undefined && req.raw !== '') body = req.raw;
  return { method: req.method.toLowerCase() as IHttpRequest['method'], url: { path: pathname, query }, headers, body };
}

/** A server URL's path, without its origin and last "/": https://us1.api.mailchimp.com/3.0/ -> /3.0 ('' for none). */
function basePathOf(server: string): string {
  return server.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '').replace(/\/$/, '');
}

/** The path without a server's base path (https://us1.api.mailchimp.com/3.0 -> /3.0), and with or without "/". */
function candidatePaths(pathname: string, servers: readonly string[]): string[] {
  const bases = servers.map(basePathOf).filter((base) => base !== '' && pathname.startsWith(`${base}/`));
  const stripped = [pathname, ...bases.map((base) => pathname.slice(base.length))];
  const toggled = stripped.map((p) => (p.endsWith('/') && p.length > 1 ? p.slice(0, -1) : `${p}/`));
  return [...new Set([...stripped, ...toggled])];
}

interface PartnerAnswer {
  status: number;
  body: unknown;
  headers: Record<string, string>;
  operation?: string;
  violations: string[];
  /** Prism found no path for it (another candidate path may fit). */
  unrouted?: boolean;
}

/** Prism's error types (`https://stoplight.io/prism/errors#NO_PATH_MATCHED_ERROR`), by their last part. */
const errorType = (name: string) => name.slice(name.lastIndexOf('#') + 1);

export class DescriptionMock implements MockHandler<DescriptionMockState> {
  private readonly prism: PrismInstance = createInstance(PRISM_CONFIG, { logger: SILENT });
  private readonly servers: string[];
  private readonly manifest?: ReturnType<typeof manifestHandler>;
  private readonly listIdPath?: string;
  private operationCounts = new Map<string, number>();
  private refusals: Refusal[] = [];
  private refusedCount = 0;
  private lists = 0;

  constructor(
    private readonly description: ApiDescription,
    private readonly operations: PrismOperations,
    private readonly options: DescriptionMockOptions,
  ) {
    this.servers = [...new Set(description.operations.flatMap((o) => o.servers))];
    const listCreation = options.manifest?.endpoints.find((e) => e.name === 'listCreation');
    this.listIdPath = options.listIdPath ?? listCreation?.listIdPath ?? 'listId';
    if (options.manifest) {
      const fixtures = { ...options.fixtures, listIdPath: this.listIdPath, auth: undefined };
      this.manifest = manifestHandler(options.manifest, fixtures, options.limits);
    }
  }

  async handle(req: MockRequest): Promise<MockAnswer> {
    const answer = await this.partnerAnswer(req);
    if (answer.operation)
      this.operationCounts.set(answer.operation, (this.operationCounts.get(answer.operation) ?? 0) + 1);
    if (answer.status >= 400) return this.refuse(req, answer);
    if (!this.manifest) return { status: answer.status, body: answer.body, headers: answer.headers };
    const body = this.manifest.roleOf(req) === 'listCreation' ? this.withNewListId(answer.body) : answer.body;
    const kept = this.manifest.handle(req, { status: answer.status, body, headers: answer.headers });
    // The partner refuses what it cannot do (an unknown list id): a refusal too, with the reason.
    if (kept.status >= 400) {
      const error =
        isObject(kept.body) && typeof kept.body.error === 'string' ? kept.body.error : `status ${kept.status}`;
      this.remember(req, { ...answer, status: kept.status, violations: [error] });
    }
    return kept;
  }

  /** What the partner's API answers: Prism's routing, validation and answer, and the exact credential if set. */
  private async partnerAnswer(req: MockRequest): Promise<PartnerAnswer> {
    if (req.jsonError !== undefined)
      return { status: 400, body: undefined, headers: {}, violations: [`The body is not JSON: ${req.jsonError}`] };
    const outside = this.outsideServers(req.url.pathname);
    if (outside) return { status: 404, body: undefined, headers: {}, violations: [outside] };
    let answer: PartnerAnswer | undefined;
    for (const candidate of candidatePaths(req.url.pathname, this.servers)) {
      answer = await this.ask(req, candidate);
      if (!answer.unrouted) break;
    }
    const found = answer as PartnerAnswer;
    if (found.status < 400 && !authorized(req.headers, this.options.auth))
      return {
        ...found,
        status: 401,
        body: undefined,
        violations: ['The credential is not the one the mock was given.'],
      };
    return found;
  }

  /** When every server has a base path (https://api.brevo.com/v3) and the request is under none of them. */
  private outsideServers(pathname: string): string | undefined {
    const bases = this.servers.map(basePathOf);
    if (bases.length === 0 || bases.some((base) => base === '' || pathname.startsWith(`${base}/`))) return undefined;
    const under = [...new Set(bases)].join(' or ');
    return `The API's paths are under ${under} (its servers: ${this.servers.join(', ')}), not ${pathname}.`;
  }

  private async ask(req: MockRequest, pathname: string): Promise<PartnerAnswer> {
    const input = prismRequest(req, pathname);
    const result = await this.prism.request(input, this.operations)();
    if (result._tag === 'Left') return this.prismError(req, result.left);
    const { output, validations } = result.right;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(output.headers ?? {}))
      if (!/^content-(type|length)$/i.test(name)) headers[name] = value;
    const violations = validations.input.filter((v) => Number(v.severity) === ERROR_SEVERITY).map((v) => v.message);
    return {
      status: output.statusCode,
      body: output.body,
      headers,
      operation: this.operationOf(req, pathname),
      violations,
    };
  }

  /** Prism's refusals in words: no such path (the description's paths named), no such method, no credential. */
  private prismError(req: MockRequest, error: Error & { status?: number; detail?: string; additional?: unknown }) {
    const type = errorType(error.name);
    const operation = this.operationOf(req, req.url.pathname);
    const base = { body: undefined, headers: {}, operation };
    switch (type) {
      case 'NO_PATH_MATCHED_ERROR': {
        const paths = [...new Set(this.description.operations.map((o) => o.path))].slice(0, 10).join(', ');
        const why = `No operation of the API description has the path ${req.url.pathname} (its paths: ${paths}).`;
        return { ...base, status: 404, violations: [why], unrouted: true };
      }
      case 'NO_METHOD_MATCHED_ERROR':
        return { ...base, status: 405, violations: [this.methodProblem(req)] };
      case 'UNPROCESSABLE_ENTITY': {
        const validation =
          isObject(error.additional) && Array.isArray(error.additional.validation) ? error.additional.validation : [];
        const messages = validation.map((v: unknown) =>
          isObject(v) && typeof v.message === 'string' ? v.message : String(v),
        );
        return { ...base, status: 400, violations: messages.length > 0 ? messages : [error.message] };
      }
      case 'UNAUTHORIZED': {
        const why = `The request carries no credential the description's security takes (${this.securityText()}).`;
        return { ...base, status: 401, violations: [why] };
      }
      default:
        return {
          ...base,
          status: error.status ?? 500,
          violations: [`${error.message}${error.detail ? `: ${error.detail}` : ''}`],
        };
    }
  }

  private methodProblem(req: MockRequest): string {
    const methods = this.description.operations
      .filter((o) => candidatePaths(req.url.pathname, this.servers).some((p) => templateMatches(o.path, p)))
      .map((o) => o.method);
    const has = methods.length > 0 ? `only ${[...new Set(methods)].join(', ')}` : 'other methods only';
    return `The API description has no ${req.method} operation on ${req.url.pathname}: it has ${has} there.`;
  }

  private securityText(): string {
    const schemes = new Set<string>();
    for (const o of this.description.operations)
      for (const alternative of o.security) for (const s of alternative) schemes.add(schemeText(s));
    return [...schemes].join(' or ') || 'none';
  }

  /** "POST /api/lists/" for the description's operation this request is routed to, if one. */
  private operationOf(req: MockRequest, pathname: string): string | undefined {
    const method = req.method.toUpperCase();
    const paths = candidatePaths(pathname, this.servers);
    const op = this.description.operations.find(
      (o) => o.method === method && paths.some((p) => templateMatches(o.path, p)),
    );
    return op ? `${op.method} ${op.path}` : undefined;
  }

  /** The answer's id (at listIdPath) made new for each list, of the type the answer has: Y6nRLr, Y6nRLr-2 ... */
  private withNewListId(body: unknown): unknown {
    const path = this.listIdPath ?? 'listId';
    const found = body === undefined ? undefined : readListId(JSON.stringify(body), path);
    if (!found?.ok) return body;
    const n = ++this.lists;
    if (n === 1) return body;
    const id = typeof found.listId === 'number' ? found.listId + n - 1 : `${found.listId}-${n}`;
    const parsed = parseListIdPath(path);
    return 'segments' in parsed ? withValueAt(body, parsed.segments, id) : body;
  }

  private refuse(req: MockRequest, answer: PartnerAnswer): MockAnswer {
    const violations = this.remember(req, answer);
    const why = violations.join('; ') || `status ${answer.status}`;
    const note = `Refused by the API description (${this.title()}): ${why}`;
    const body = isObject(answer.body) ? { ...answer.body, violations } : { error: note, violations };
    return { status: answer.status, body, headers: answer.headers };
  }

  private remember(req: MockRequest, answer: PartnerAnswer): string[] {
    this.refusedCount++;
    const violations = answer.violations.slice(0, VIOLATIONS_KEPT);
    this.refusals.push({
      method: req.method.slice(0, 16),
      path: req.url.pathname.slice(0, 512),
      operation: answer.operation,
      status: answer.status,
      violations,
    });
    if (this.refusals.length > REFUSALS_KEPT) this.refusals.shift();
    return violations;
  }

  private title(): string {
    return this.description.title ?? path.basename(this.description.file);
  }

  state(): DescriptionMockState {
    const { mock: _manifest, ...kept } = this.manifest?.state() ?? emptyState();
    return {
      ...kept,
      mock: 'description',
      description: this.title(),
      operations: Object.fromEntries(this.operationCounts),
      refusedCount: this.refusedCount,
      refusals: [...this.refusals],
    };
  }

  requests(): unknown[] {
    return this.manifest?.requests() ?? [];
  }

  reset(): void {
    this.manifest?.reset();
    this.operationCounts = new Map();
    this.refusals = [];
    this.refusedCount = 0;
    this.lists = 0;
  }
}

function emptyState(): ManifestMockState {
  return {
    mock: 'manifest',
    lists: {},
    listIds: {},
    properties: {},
    cohortProperties: {},
    events: { accepted: 0, received: 0, eventsAccepted: 0 },
    identifies: { accepted: 0, received: 0 },
    requests: {},
    unmatched: [],
    unmatchedCount: 0,
    log: new RequestLog({}).report(),
  };
}

function schemeText(s: ApiSecurityScheme): string {
  if (s.type === 'apiKey') return `API key in the ${s.in} "${s.name}"`;
  if (s.type === 'http') return `HTTP ${s.scheme}`;
  return s.type;
}

/** True when a concrete path fills the description's template (`/lists/{id}/members`). */
function templateMatches(template: string, pathname: string): boolean {
  const a = template.replace(/\/$/, '').split('/');
  const b = pathname.replace(/\/$/, '').split('/');
  return a.length === b.length && a.every((part, i) => (/^\{[^}]+\}$/.test(part) ? b[i] !== '' : part === b[i]));
}

/** A copy of `value` with `id` at the path's segments. */
function withValueAt(value: unknown, segments: readonly (string | number)[], id: string | number): unknown {
  if (segments.length === 0) return id;
  const [head, ...rest] = segments;
  if (Array.isArray(value) && typeof head === 'number') {
    const copy: unknown[] = [...(value as unknown[])];
    copy[head] = withValueAt(copy[head], rest, id);
    return copy;
  }
  if (isObject(value)) return { ...value, [String(head)]: withValueAt(value[String(head)], rest, id) };
  return value;
}
