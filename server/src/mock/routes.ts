import { declaredVariableNames, type ManifestModel } from '../manifest/model';
import { itemTemplateOf, payloadTemplateOf } from '../manifest/portalText';
import { isObject } from '../base/value';
import { dollarRole, predefinedVariable, scanVariablesIn } from '../manifest/variables';
import { capture, type Capture } from '../testing/match';

/** What a route does with a request: the manifest's call it plays. */
export type RouteRole = 'listCreation' | 'addUsers' | 'removeUsers' | 'update' | 'events' | 'identify';

/** One of the partner's routes, read from the manifest: method, URL pattern, and the payload it expects. */
export interface Route {
  name: RouteRole;
  method: string;
  path: RegExp;
  /** The variable each path group captures (canonical names). */
  pathNames: string[];
  query: { key: string; pattern: RegExp; names: string[] }[];
  payload: unknown;
  itemTemplate: unknown;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const PARAMETER = /\$\{\s*parameters\.[A-Za-z_][A-Za-z0-9_]*\s*\}/g;

/** A URL part with `$name` (cohort) and `${parameters.x}` (streaming) as wildcards; variables capture. */
function partPattern(
  template: string,
  declared: ReadonlySet<string>,
  wildcard: string,
): { source: string; names: string[] } {
  const names: string[] = [];
  let source = '';
  const literal = (text: string) => {
    const pieces = text.split(PARAMETER);
    source += pieces.map(escapeRegExp).join(wildcard);
  };
  let from = 0;
  scanVariablesIn(template, 0, template.length, (name, start) => {
    if (dollarRole(name, false, declared) !== 'variable') return;
    literal(template.slice(from, start));
    source += `(${wildcard})`;
    names.push(predefinedVariable(name)?.name ?? name);
    from = start + 1 + name.length;
  });
  literal(template.slice(from));
  return { source, names };
}

/** The path and query of a manifest URL whose host may itself hold variables. */
function splitUrl(url: string): { path: string; query: string } {
  const afterScheme = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '');
  const [beforeHash] = afterScheme.split('#');
  const at = beforeHash.indexOf('?');
  const path = at < 0 ? beforeHash : beforeHash.slice(0, at);
  return { path: path === '' ? '/' : path, query: at < 0 ? '' : beforeHash.slice(at + 1) };
}

function compileRoute(
  name: RouteRole,
  method: string,
  url: string,
  declared: ReadonlySet<string>,
  payload: unknown,
  itemTemplate: unknown,
): Route {
  const { path, query } = splitUrl(url);
  const pathPattern = partPattern(path, declared, '[^/]*?');
  const queryPatterns = query
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const [key, ...value] = pair.split('=');
      const pattern = partPattern(value.join('='), declared, '.*?');
      return { key: safeDecode(key), pattern: new RegExp(`^${pattern.source}$`, 's'), names: pattern.names };
    });
  return {
    name,
    method: method.toUpperCase(),
    // Any prefix: Test Endpoint's target keeps its own path in front of the manifest's.
    path: new RegExp(`^(?:.*?)${pathPattern.source.replace(/\/$/, '')}/?$`, 's'),
    pathNames: pathPattern.names,
    query: queryPatterns,
    payload,
    itemTemplate,
  };
}

/** Every route a manifest's integration calls. */
export function routesOf(model: ManifestModel): Route[] {
  const declared = declaredVariableNames(model);
  const routes: Route[] = [];
  for (const endpoint of model.endpoints) {
    const { url } = endpoint;
    const method = endpoint.method ?? 'POST';
    if (!url) continue;
    const payload = payloadTemplateOf(endpoint);
    routes.push(compileRoute(endpoint.name, method, url, declared, payload, itemTemplateOf(endpoint)));
  }
  if (model.kind !== 'event-streaming') return routes;
  for (const { role, url, method } of model.streaming.requests) {
    if (url) routes.push(compileRoute(role, method ?? 'POST', url, declared, undefined, undefined));
  }
  return routes;
}

export function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The variables a request carried in its URL, or undefined when the URL is not this route's. */
export function matchUrl(route: Route, method: string, url: URL): Capture[] | undefined {
  if (route.method !== method.toUpperCase()) return undefined;
  const m = route.path.exec(url.pathname);
  if (!m) return undefined;
  const captures: Capture[] = route.pathNames.map((name, i) => ({ name, value: safeDecode(m[i + 1]) }));
  for (const q of route.query) {
    const value = url.searchParams.get(q.key);
    const qm = value === null ? null : q.pattern.exec(value);
    if (!qm) return undefined;
    q.names.forEach((name, i) => captures.push({ name, value: qm[i + 1] }));
  }
  return captures;
}

/** How many literal values of the payload template the body repeats: tells routes with one URL apart. */
export function payloadAffinity(template: unknown, body: unknown): number {
  if (typeof template === 'string') return !template.includes('$') && template === body ? 1 : 0;
  if (typeof template === 'number' || typeof template === 'boolean') return template === body ? 1 : 0;
  if (Array.isArray(template)) {
    return Array.isArray(body) ? template.reduce<number>((n, t, i) => n + payloadAffinity(t, body[i]), 0) : 0;
  }
  if (isObject(template) && isObject(body)) {
    return Object.keys(template).reduce(
      (n, key) => n + (Object.hasOwn(body, key) ? 1 + payloadAffinity(template[key], body[key]) : 0),
      0,
    );
  }
  return 0;
}

export function capturePayload(route: Route, body: unknown, declared: ReadonlySet<string>): Capture[] {
  return route.payload === undefined ? [] : capture(route.payload, body, declared);
}
