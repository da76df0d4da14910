import type { ApiDescription, ApiOperation } from './description';

/** Which operation of the description a manifest endpoint calls: its method and URL against the paths. */

export interface OperationMatch {
  operation?: ApiOperation;
  /** No operation matched: the nearest one (same path with another method, else the closest path). */
  closest?: ApiOperation;
  /** Why `closest` is not a match: 'method' (the path exists with other methods) or 'path'. */
  why?: 'method' | 'path';
  /** Template name -> the URL's segment text, which may hold `$variables`. */
  pathParams: Record<string, string>;
}

/** `$name`, `${...}` and `{{...}}`: parts of a manifest URL whose value is only known when sent. */
const VARIABLE = /\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*/g;

export function hasVariable(text: string): boolean {
  VARIABLE.lastIndex = 0;
  return VARIABLE.test(text);
}

/** The path of a manifest URL (no scheme, host, query or fragment), `$variables` kept. */
export function urlPath(url: string): string {
  let rest = url.trim();
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(rest);
  if (scheme) rest = rest.slice(scheme[0].length);
  else if (/^\$[A-Za-z_]\w*|^\$\{[^}]*\}/.test(rest) && !rest.startsWith('/')) {
    // `$base_url/lists`: the host is a variable.
    const slash = rest.indexOf('/');
    rest = slash < 0 ? '' : rest.slice(slash);
  }
  const cut = rest.search(/[?#]/);
  return cut < 0 ? rest : rest.slice(0, cut);
}

/** The query of a manifest URL as name -> value text. */
export function urlQuery(url: string): Map<string, string> {
  const query = new Map<string, string>();
  const at = url.indexOf('?');
  if (at < 0) return query;
  for (const pair of url
    .slice(at + 1)
    .split('#')[0]
    .split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    query.set(decodeSafe(eq < 0 ? pair : pair.slice(0, eq)), eq < 0 ? '' : pair.slice(eq + 1));
  }
  return query;
}

function decodeSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const segments = (p: string): string[] => p.split('/').filter((s) => s !== '');

/** The path part of a server URL (`https://a.klaviyo.com/api` -> `/api`; `{var}` kept). */
function serverPath(server: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(server);
  return scheme ? server.slice(scheme[0].length) : server;
}

/** 2: literal equal; 1: a template parameter or a variable on one side; 0: no match. */
function segmentScore(template: string, actual: string): number {
  if (template === actual) return 2;
  const actualVariable = hasVariable(actual);
  if (/^\{[^}]+\}$/.test(template)) return 1;
  if (template.includes('{')) {
    const pattern = template
      .split(/\{[^}]+\}/)
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.+');
    if (new RegExp(`^${pattern}$`).test(actual)) return 1;
  }
  // A URL segment that is a variable may hold the literal (`$api_version` for `v3`): not a mismatch.
  return actualVariable && actual.replace(VARIABLE, '') === '' ? 1 : 0;
}

interface PathFit {
  score: number;
  pathParams: Record<string, string>;
}

function fitPath(operation: ApiOperation, actual: string[], variableBase: boolean): PathFit | undefined {
  let best: PathFit | undefined;
  const servers = operation.servers.length > 0 ? operation.servers : [''];
  // `$base_url/lists`: the variable may hold the server's base path too.
  const prefixes = [...servers.map((s) => segments(serverPath(s))), ...(variableBase ? [[]] : [])];
  for (const prefix of prefixes) {
    const full = [...prefix, ...segments(operation.path)];
    if (full.length !== actual.length) continue;
    let score = 0;
    const pathParams: Record<string, string> = {};
    for (let i = 0; i < full.length && score >= 0; i++) {
      const s = segmentScore(full[i], actual[i]);
      if (s === 0) score = -1;
      else score += s;
      const name = /^\{([^}]+)\}$/.exec(full[i]);
      if (name && operation.path.includes(full[i])) pathParams[name[1]] = actual[i];
    }
    if (score >= 0 && (!best || score > best.score)) best = { score, pathParams };
  }
  return best;
}

/** Matches a manifest endpoint's method and URL (which may hold `$variables` and `${...}`) to an operation. */
export function matchOperation(description: ApiDescription, method: string, url: string): OperationMatch {
  const wanted = method.toUpperCase();
  const actual = segments(urlPath(url));
  const variableBase = /^\s*\$/.test(url);
  let best: { operation: ApiOperation; fit: PathFit } | undefined;
  let otherMethod: { operation: ApiOperation; fit: PathFit } | undefined;
  for (const operation of description.operations) {
    const fit = fitPath(operation, actual, variableBase);
    if (!fit) continue;
    if (operation.method === wanted) {
      if (!best || fit.score > best.fit.score) best = { operation, fit };
    } else if (!otherMethod || fit.score > otherMethod.fit.score) otherMethod = { operation, fit };
  }
  if (best && (!otherMethod || best.fit.score >= otherMethod.fit.score)) {
    return { operation: best.operation, pathParams: best.fit.pathParams };
  }
  if (otherMethod) return { closest: otherMethod.operation, why: 'method', pathParams: otherMethod.fit.pathParams };
  const closest = closestByPath(description.operations, wanted, actual);
  return closest ? { closest, why: 'path', pathParams: {} } : { pathParams: {} };
}

/** The operation whose full path is nearest by edit distance; the same method wins a tie. */
function closestByPath(operations: ApiOperation[], method: string, actual: string[]): ApiOperation | undefined {
  const written = '/' + actual.map((s) => (hasVariable(s) ? '{}' : s)).join('/');
  let best: { operation: ApiOperation; distance: number } | undefined;
  for (const operation of operations) {
    for (const server of operation.servers.length > 0 ? operation.servers : ['']) {
      const full = [...segments(serverPath(server)), ...segments(operation.path)];
      const template = '/' + full.map((s) => s.replace(/\{[^}]+\}/g, '{}')).join('/');
      const distance = editDistance(written, template) + (operation.method === method ? 0 : 0.5);
      if (!best || distance < best.distance) best = { operation, distance };
    }
  }
  return best?.operation;
}

export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/** `POST /lists/{list_id}/members` (with its operationId when it has one). */
export function operationName(operation: ApiOperation): string {
  const id = operation.operationId ? ` (${operation.operationId})` : '';
  return `${operation.method} ${operation.path}${id}`;
}
