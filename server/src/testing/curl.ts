import { mask } from '../base/mask';
import type { BuiltRequest } from './request';

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The request as a cURL command; secrets masked unless `withSecrets`. */
export function toCurl(request: BuiltRequest, withSecrets = false): string {
  const hide = (text: string) => (withSecrets ? text : mask(text, request.secrets));
  const parts = [`curl -X ${request.method} ${shellQuote(hide(request.url))}`];
  for (const [key, value] of Object.entries(request.headers)) parts.push(`-H ${shellQuote(`${key}: ${hide(value)}`)}`);
  if (request.body !== '') parts.push(`--data-raw ${shellQuote(hide(request.body))}`);
  return parts.join(' \\\n  ');
}
