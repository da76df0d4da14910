import { parse as parseShell } from 'shell-quote';
import { parseArgs } from 'util';

/** A request as a cURL command line says it. */
export interface CurlRequest {
  method: string;
  url: string;
  headers: [string, string][];
  body?: string;
  /** `-u user:password`. */
  user?: string;
}

const CURL_OPTIONS = {
  request: { type: 'string', short: 'X' },
  header: { type: 'string', short: 'H', multiple: true },
  data: { type: 'string', short: 'd', multiple: true },
  'data-raw': { type: 'string', multiple: true },
  'data-binary': { type: 'string', multiple: true },
  'data-ascii': { type: 'string', multiple: true },
  json: { type: 'string', multiple: true },
  user: { type: 'string', short: 'u' },
  url: { type: 'string' },
  'user-agent': { type: 'string', short: 'A' },
  output: { type: 'string', short: 'o' },
  'max-time': { type: 'string', short: 'm' },
} as const;

/**
 * Words of a shell command with shell-quote (quotes, escapes); variables stay as written (`$items`,
 * `${parameters.api_key}`): the portal's copied requests hold the manifest's variables, not shell ones.
 */
function shellWords(command: string): string[] {
  const joined = command.replace(/\\\r?\n/g, ' ');
  const words = parseShell(joined, (name: string) => (name.includes('.') ? `\${${name}}` : `$${name}`));
  return words.flatMap((w) => (typeof w === 'string' ? [w] : []));
}

function bodyOf(values: Record<string, unknown>): string | undefined {
  for (const key of ['data-raw', 'data', 'data-binary', 'data-ascii', 'json']) {
    const parts = values[key];
    if (Array.isArray(parts) && parts.length > 0) return (parts as string[]).join('&');
  }
  return undefined;
}

/** A cURL command (as the portal or a browser copies it) -> method, URL, headers, body. */
export function parseCurl(command: string): CurlRequest {
  const words = shellWords(command.trim());
  if (words[0] !== 'curl') throw new Error('This is not a cURL command: it must start with "curl".');
  const { values, positionals } = parseArgs({
    args: words.slice(1),
    options: CURL_OPTIONS,
    strict: false,
    allowPositionals: true,
  });
  const url =
    (typeof values.url === 'string' ? values.url : undefined) ?? positionals.find((p) => /^https?:\/\//i.test(p));
  if (!url) throw new Error('The cURL command has no http(s) URL.');
  const headers = ((values.header as string[] | undefined) ?? []).flatMap((h): [string, string][] => {
    const colon = h.indexOf(':');
    return colon > 0 ? [[h.slice(0, colon).trim(), h.slice(colon + 1).trim()]] : [];
  });
  const body = bodyOf(values);
  if (Array.isArray(values.json)) headers.push(['Content-Type', 'application/json']);
  // curl's own default: POST when there is a body, else GET.
  const fallback = body ? 'POST' : 'GET';
  const method = typeof values.request === 'string' ? values.request.toUpperCase() : fallback;
  return { method, url, headers, body, user: typeof values.user === 'string' ? values.user : undefined };
}
