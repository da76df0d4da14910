import type { Edit } from 'jsonc-parser';
import { appendTo } from '../base/jsonEdits';
import type { EndpointModel } from './model';

/** The classifications the docs say most partners include. */
export const COMMON_CLASSIFICATIONS = [
  { status: 200, failureReason: 'Success', message: 'The request succeeded.' },
  {
    status: 400,
    failureReason: 'Invalid request',
    message: 'The request was malformed. Check the payload and the mapped user ids, then retry the sync.',
  },
  {
    status: 401,
    failureReason: 'Unauthorized (bad API key)',
    message: 'The API key was rejected. Open the destination settings in Amplitude and enter a valid API key.',
  },
  {
    status: 404,
    failureReason: 'Invalid User ID',
    message: 'A user id or list was not found. Check the user id mapping in the destination settings.',
  },
  {
    status: 429,
    failureReason: 'Throttling / rate limiting',
    message: 'Too many requests. Amplitude retries with backoff; if this persists, ask us to raise your rate limit.',
  },
] as const;

/** The common classifications this endpoint does not have yet, and (when asked) the edits that add them. */
export function addCommonClassificationsEdits(
  text: string,
  endpoint: EndpointModel,
): { edits: () => Edit[]; added: number[] } {
  const present = new Set(endpoint.errors.filter((e) => !e.hasSubErrorCode).map((e) => e.status));
  const missing = COMMON_CLASSIFICATIONS.filter((c) => !present.has(c.status));
  const length = endpoint.errorsWritten ? endpoint.errors.length : undefined;
  return {
    edits: () =>
      missing.length
        ? appendTo(
            text,
            [...endpoint.path, 'errors'],
            length,
            missing.map((c) => ({ ...c })),
          )
        : [],
    added: missing.map((c) => c.status),
  };
}
