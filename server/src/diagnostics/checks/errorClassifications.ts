import { parse } from 'jsonc-parser';
import { appendTo, replaceSpan } from '../edits';
import type { EndpointModel } from '../../manifest/model';
import { isObject } from '../../manifest/value';
import type { ManifestCheck, ManifestDiagnostic } from '../types';

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

/** Edits that add the common classifications this endpoint does not have yet. */
export function addCommonClassificationsEdits(
  text: string,
  endpoint: EndpointModel,
): { edits: ReturnType<typeof appendTo>; added: number[] } {
  const present = new Set(endpoint.errors.filter((e) => !e.hasSubErrorCode).map((e) => e.status));
  const missing = COMMON_CLASSIFICATIONS.filter((c) => !present.has(c.status));
  const errors = endpoint.value.errors;
  return {
    edits: missing.length
      ? appendTo(
          text,
          [...endpoint.path, 'errors'],
          Array.isArray(errors) ? errors.length : undefined,
          missing.map((c) => ({ ...c })),
        )
      : [],
    added: missing.map((c) => c.status),
  };
}

/** Canonical text of a JSON value, key order ignored, for comparing sub error codes. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isObject(value))
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

function parsesToObject(text: string): Record<string, unknown> | undefined {
  const parsed = parse(text) as unknown;
  return isObject(parsed) ? parsed : undefined;
}

export const errorClassificationsCheck: ManifestCheck = {
  codes: [
    'duplicate-error-classification',
    'sub-error-code-not-object',
    'copy-errors-from-invalid',
    'no-error-classifications',
  ],
  run: ({ doc, model }) => {
    const out: ManifestDiagnostic[] = [];
    const byName = new Map(model.endpoints.map((e) => [e.name, e]));
    for (const endpoint of model.endpoints) {
      const seen = new Map<string, number>();
      endpoint.errors.forEach((classification, index) => {
        const sub = classification.subErrorCode;
        if (classification.hasSubErrorCode && !isObject(sub)) {
          const fixed = typeof sub === 'string' ? parsesToObject(sub) : undefined;
          const span = doc.spanAt([...classification.path, 'subErrorCode']);
          out.push({
            ...span,
            code: 'sub-error-code-not-object',
            severity: 'error',
            message:
              'A sub error code must be a JSON object, for example { "error_code": 1000 }: Amplitude matches it against the body of your error response.',
            fixes: fixed
              ? () => [
                  {
                    title: 'Write the sub error code as a JSON object',
                    edits: [replaceSpan(span.start, span.end, JSON.stringify(fixed))],
                    preferred: true,
                  },
                ]
              : undefined,
          });
        }
        if (classification.status === undefined) return;
        const key = `${classification.status}|${classification.hasSubErrorCode ? canonical(sub) : ''}`;
        const first = seen.get(key);
        if (first !== undefined) {
          out.push({
            ...doc.spanAt([...classification.path, 'status']),
            code: 'duplicate-error-classification',
            severity: 'error',
            message: `Status ${classification.status}${classification.hasSubErrorCode ? ' with this sub error code' : ''} is already classified in errors[${first}] of ${endpoint.name}: Amplitude could not tell them apart. Add a distinct sub error code or remove one.`,
          });
        } else {
          seen.set(key, index);
        }
      });
      const copy = endpoint.copyErrorsFrom;
      if (typeof copy === 'string') {
        const source = byName.get(copy as EndpointModel['name']);
        const problem =
          copy === endpoint.name
            ? 'an endpoint cannot copy errors from itself'
            : !source
              ? `there is no "${copy}" endpoint in this manifest`
              : source.errors.length === 0
                ? `"${copy}" has no error classifications of its own${source.copyErrorsFrom !== undefined ? ' (copies are not followed twice)' : ''}`
                : undefined;
        if (problem)
          out.push({
            ...doc.spanAt([...endpoint.path, 'copyErrorsFrom']),
            code: 'copy-errors-from-invalid',
            severity: 'error',
            message: `copyErrorsFrom: ${problem}.`,
          });
      }
      if (endpoint.errors.length === 0 && copy === undefined) {
        const { edits } = addCommonClassificationsEdits(doc.text, endpoint);
        out.push({
          ...doc.keySpanAt(endpoint.path),
          code: 'no-error-classifications',
          severity: 'information',
          message: `The ${endpoint.name} endpoint has no error classifications: every failure would show Amplitude's "unclassified" message. Add the common ones (200, 400, 401, 404, 429) or copy them from another endpoint.`,
          fixes: () => [{ title: 'Add the common error classifications (200, 400, 401, 404, 429)', edits }],
        });
      }
    }
    return out;
  },
};
