import { getNodeValue, parse } from 'jsonc-parser';
import { appendTo, replaceSpan } from '../edits';
import { nodeSpan, type EndpointModel } from '../../manifest/model';
import type { ManifestCheck, ManifestDiagnostic } from '../types';

/** The classifications the docs say most partners include. */
export const COMMON_CLASSIFICATIONS = [
  { status: 200, failureReason: 'Success', message: 'The request succeeded.' },
  { status: 400, failureReason: 'Invalid request', message: 'The request was malformed. Check the payload and the mapped user ids, then retry the sync.' },
  { status: 401, failureReason: 'Unauthorized (bad API key)', message: 'The API key was rejected. Open the destination settings in Amplitude and enter a valid API key.' },
  { status: 404, failureReason: 'Invalid User ID', message: 'A user id or list was not found. Check the user id mapping in the destination settings.' },
  { status: 429, failureReason: 'Throttling / rate limiting', message: 'Too many requests. Amplitude retries with backoff; if this persists, ask us to raise your rate limit.' },
] as const;

/** Edits that add the common classifications this endpoint does not have yet. */
export function addCommonClassificationsEdits(text: string, endpoint: EndpointModel): { edits: ReturnType<typeof appendTo>; added: number[] } {
  const present = new Set(endpoint.errors.filter((e) => !e.subErrorCodeNode).map((e) => e.status));
  const missing = COMMON_CLASSIFICATIONS.filter((c) => !present.has(c.status));
  const length = endpoint.errorsNode?.type === 'array' ? endpoint.errorsNode.children?.length ?? 0 : undefined;
  return { edits: missing.length ? appendTo(text, ['endpoints', endpoint.name, 'errors'], length, missing.map((c) => ({ ...c }))) : [], added: missing.map((c) => c.status) };
}

/** Canonical text of a JSON value, key order ignored, for comparing sub error codes. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export const errorClassificationsCheck: ManifestCheck = {
  codes: ['duplicate-error-classification', 'sub-error-code-not-object', 'copy-errors-from-invalid', 'no-error-classifications'],
  run: ({ doc, model }) => {
    const out: ManifestDiagnostic[] = [];
    const byName = new Map(model.endpoints.map((e) => [e.name, e]));
    for (const endpoint of model.endpoints) {
      const seen = new Map<string, number>();
      for (const classification of endpoint.errors) {
        const sub = classification.subErrorCodeNode;
        if (sub && sub.type !== 'object') {
          const parsed = sub.type === 'string' && typeof sub.value === 'string' ? parse(sub.value) as unknown : undefined;
          const isObjectText = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed);
          out.push({
            ...nodeSpan(sub), code: 'sub-error-code-not-object', severity: 'error',
            message: 'A sub error code must be a JSON object, for example { "error_code": 1000 }: Amplitude matches it against the body of your error response.',
            fixes: isObjectText ? [{ title: 'Write the sub error code as a JSON object', edits: [replaceSpan(sub.offset, sub.offset + sub.length, JSON.stringify(parsed))], preferred: true }] : undefined,
          });
        }
        if (classification.status === undefined || !classification.statusNode) continue;
        const key = `${classification.status}|${sub ? canonical(getNodeValue(sub)) : ''}`;
        const first = seen.get(key);
        if (first !== undefined) {
          out.push({
            ...nodeSpan(classification.statusNode), code: 'duplicate-error-classification', severity: 'error',
            message: `Status ${classification.status}${sub ? ' with this sub error code' : ''} is already classified in errors[${first}] of ${endpoint.name}: Amplitude could not tell them apart. Add a distinct sub error code or remove one.`,
          });
        } else {
          seen.set(key, endpoint.errors.indexOf(classification));
        }
      }
      const copyNode = endpoint.copyErrorsFromNode;
      if (copyNode?.type === 'string' && typeof copyNode.value === 'string') {
        const source = byName.get(copyNode.value as EndpointModel['name']);
        const problem = copyNode.value === endpoint.name ? 'an endpoint cannot copy errors from itself'
          : !source ? `there is no "${copyNode.value}" endpoint in this manifest`
          : source.errors.length === 0 ? `"${copyNode.value}" has no error classifications of its own${source.copyErrorsFromNode ? ' (copies are not followed twice)' : ''}`
          : undefined;
        if (problem) out.push({ ...nodeSpan(copyNode), code: 'copy-errors-from-invalid', severity: 'error', message: `copyErrorsFrom: ${problem}.` });
      }
      if (endpoint.errors.length === 0 && !copyNode) {
        const { edits } = addCommonClassificationsEdits(doc.text, endpoint);
        out.push({
          ...nodeSpan(endpoint.keyNode), code: 'no-error-classifications', severity: 'information',
          message: `The ${endpoint.name} endpoint has no error classifications: every failure would show Amplitude's "unclassified" message. Add the common ones (200, 400, 401, 404, 429) or copy them from another endpoint.`,
          fixes: [{ title: 'Add the common error classifications (200, 400, 401, 404, 429)', edits }],
        });
      }
    }
    return out;
  },
};
