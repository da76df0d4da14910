import { parse } from 'jsonc-parser';
import { appendTo, replaceSpan } from '../../base/jsonEdits';
import { addCommonClassificationsEdits } from '../../manifest/errorTable';
import type { ManifestDocument } from '../../manifest/document';
import type { EndpointModel, ErrorClassificationModel, ManifestModel } from '../../manifest/model';
import { isObject } from '../../base/value';
import type { ManifestCheck, ManifestDiagnostic } from '../types';

/** Canonical text of a JSON value, key order ignored, for comparing sub error codes. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function parsesToObject(text: string): Record<string, unknown> | undefined {
  const parsed = parse(text) as unknown;
  return isObject(parsed) ? parsed : undefined;
}

function subErrorCodeNotObject(
  doc: ManifestDocument,
  classification: ErrorClassificationModel,
): ManifestDiagnostic | undefined {
  const sub = classification.subErrorCode;
  if (!classification.hasSubErrorCode || isObject(sub)) return undefined;
  const fixed = typeof sub === 'string' ? parsesToObject(sub) : undefined;
  const span = doc.spanAt([...classification.path, 'subErrorCode']);
  return {
    ...span,
    code: 'sub-error-code-not-object',
    severity: 'error',
    message:
      'A sub error code must be a JSON object, for example { "error_code": 1000 }: Amplitude matches it against ' +
      'the body of your error response.',
    fixes: fixed
      ? [
          {
            title: 'Write the sub error code as a JSON object',
            edits: () => [replaceSpan(span.start, span.end, JSON.stringify(fixed))],
            preferred: true,
          },
        ]
      : undefined,
  };
}

/** Rows of one endpoint's table: each status and sub error code once, and objects for sub codes. */
function tableRows(doc: ManifestDocument, endpoint: EndpointModel): ManifestDiagnostic[] {
  const out: ManifestDiagnostic[] = [];
  const seen = new Map<string, number>();
  endpoint.errors.forEach((classification, index) => {
    const notObject = subErrorCodeNotObject(doc, classification);
    if (notObject) out.push(notObject);
    if (classification.status === undefined) return;
    const subErrorCode = classification.hasSubErrorCode ? canonical(classification.subErrorCode) : '';
    const key = `${classification.status}|${subErrorCode}`;
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, index);
      return;
    }
    const withSub = classification.hasSubErrorCode ? ' with this sub error code' : '';
    out.push({
      ...doc.spanAt([...classification.path, 'status']),
      code: 'duplicate-error-classification',
      severity: 'error',
      message:
        `Status ${classification.status}${withSub} is already classified in errors[${first}] of ${endpoint.name}: ` +
        'Amplitude could not tell them apart. Add a distinct sub error code or remove one.',
    });
  });
  return out;
}

/**
 * A status whose every row has a sub error code: an answer with that status and another body matches no
 * row and shows Amplitude's "unclassified" message. A row without a sub error code is the fallback.
 */
function statusFallbacks(doc: ManifestDocument, endpoint: EndpointModel): ManifestDiagnostic[] {
  const byStatus = new Map<number, ErrorClassificationModel[]>();
  for (const row of endpoint.errors) {
    if (row.status === undefined || !isObject(row.subErrorCode)) continue;
    byStatus.set(row.status, [...(byStatus.get(row.status) ?? []), row]);
  }
  const out: ManifestDiagnostic[] = [];
  for (const [status, rows] of byStatus) {
    if (endpoint.errors.some((e) => e.status === status && !e.hasSubErrorCode)) continue;
    if (status >= 200 && status < 300) continue; // a 2xx without a matching row is a success, not unclassified
    const length = endpoint.errors.length;
    const fallback = {
      status,
      failureReason: `Other ${status} error`,
      message: `Your request was refused (${status}). Contact support.`,
    };
    out.push({
      ...doc.spanAt([...rows[0].path, 'status']),
      code: 'no-status-fallback',
      severity: 'information',
      message:
        `Every ${status} row of ${endpoint.name} has a sub error code: a ${status} whose body matches none of them ` +
        `shows Amplitude's "unclassified" message. Add a ${status} row without a sub error code as the fallback.`,
      fixes: [
        {
          title: `Add a fallback row for ${status}`,
          edits: () => appendTo(doc.text, [...endpoint.path, 'errors'], length, [fallback]),
        },
      ],
    });
  }
  return out;
}

function copyErrorsFromProblem(model: ManifestModel, endpoint: EndpointModel): string | undefined {
  const copy = endpoint.copyErrorsFrom;
  if (typeof copy !== 'string') return undefined;
  const source = model.endpoints.find((e) => e.name === copy);
  if (copy === endpoint.name) return 'an endpoint cannot copy errors from itself';
  if (!source) return `there is no "${copy}" endpoint in this manifest`;
  if (source.errors.length > 0) return undefined;
  const twice = source.copyErrorsFrom !== undefined ? ' (copies are not followed twice)' : '';
  return `"${copy}" has no error classifications of its own${twice}`;
}

function endpointDiagnostics(
  doc: ManifestDocument,
  model: ManifestModel,
  endpoint: EndpointModel,
): ManifestDiagnostic[] {
  const out = [...tableRows(doc, endpoint), ...statusFallbacks(doc, endpoint)];
  const problem = copyErrorsFromProblem(model, endpoint);
  if (problem) {
    out.push({
      ...doc.spanAt([...endpoint.path, 'copyErrorsFrom']),
      code: 'copy-errors-from-invalid',
      severity: 'error',
      message: `copyErrorsFrom: ${problem}.`,
    });
  }
  if (endpoint.errors.length === 0 && endpoint.copyErrorsFrom === undefined) {
    const { edits } = addCommonClassificationsEdits(doc.text, endpoint);
    out.push({
      ...doc.keySpanAt(endpoint.path),
      code: 'no-error-classifications',
      severity: 'information',
      message:
        `The ${endpoint.name} endpoint has no error classifications: every failure would show Amplitude's ` +
        '"unclassified" message. Add the common ones (200, 400, 401, 404, 429) or copy them from another endpoint.',
      fixes: [{ title: 'Add the common error classifications (200, 400, 401, 404, 429)', edits }],
    });
  }
  return out;
}

export const errorClassificationsCheck: ManifestCheck = {
  codes: [
    'duplicate-error-classification',
    'sub-error-code-not-object',
    'copy-errors-from-invalid',
    'no-error-classifications',
    'no-status-fallback',
  ],
  run: ({ doc, model }) => model.endpoints.flatMap((endpoint) => endpointDiagnostics(doc, model, endpoint)),
};
