import type * as http from 'http';

export interface MockAuth {
  bearer?: string;
  basic?: { key: string; secret: string };
  /** An exact header the partner's API expects, e.g. Authorization: App key. */
  header?: { name: string; value: string };
}

/** True when no credential is configured, or the request carries one of those configured. */
export function authorized(headers: http.IncomingHttpHeaders, auth: MockAuth | undefined): boolean {
  if (!auth || (!auth.bearer && !auth.basic && !auth.header)) return true;
  const header = headers.authorization ?? '';
  if (auth.bearer && header === `Bearer ${auth.bearer}`) return true;
  if (auth.basic) {
    const token = Buffer.from(`${auth.basic.key}:${auth.basic.secret}`).toString('base64');
    if (header === `Basic ${token}`) return true;
  }
  return auth.header !== undefined && headers[auth.header.name.toLowerCase()] === auth.header.value;
}

export const UNAUTHORIZED = { status: 401, body: { error: 'invalid api key', error_code: 401 } };
