import type { EndpointName, ManifestModel } from '../manifest/model';
import { isObject, scalarText } from '../base/value';

/** Amplitude's message for a status the manifest does not classify, verbatim from the docs. */
export const UNCLASSIFIED_MESSAGE =
  'This cohort sync has encountered an unidentified kind of error for this integration. Please contact ' +
  'support or your CSM to create a ticket and ask for help in solving this issue.';

export interface Classification {
  kind: 'classified' | 'unclassified';
  status: number;
  failureReason: string;
  message: string;
  /** The endpoint whose table matched (differs from the one called when it copies its errors). */
  from?: EndpointName;
  subErrorCode?: unknown;
}

/** `pattern`'s keys and values all appear in `value` (objects compared recursively). */
function contains(value: unknown, pattern: unknown): boolean {
  if (isObject(pattern)) return isObject(value) && Object.entries(pattern).every(([k, v]) => contains(value[k], v));
  if (Array.isArray(pattern))
    return Array.isArray(value) && pattern.length === value.length && pattern.every((v, i) => contains(value[i], v));
  return value === pattern;
}

function parseOrUndefined(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

export function isSuccessStatus(status: number): boolean {
  return status >= 200 && status < 300;
}

/**
 * What Amplitude would show for this response: the endpoint's classification (following
 * copyErrorsFrom), a sub error code match preferred over a plain status match, else "unclassified".
 * Every status with rows is classified, 2xx included (a 207 partial success, a 200 whose body carries an
 * error code); a 2xx that matches no row is a plain success and gets no classification (undefined).
 */
export function classify(
  model: ManifestModel,
  name: EndpointName,
  status: number,
  body: string,
): Classification | undefined {
  const endpoint = model.endpoints.find((e) => e.name === name);
  const source =
    typeof endpoint?.copyErrorsFrom === 'string'
      ? model.endpoints.find((e) => e.name === endpoint.copyErrorsFrom)
      : endpoint;
  const sameStatus = (source?.errors ?? []).filter((r) => r.status === status);
  // Parsed only when a row looks into it: a sync's thousands of plain answers are not read twice.
  const parsed = sameStatus.some((r) => r.hasSubErrorCode) ? parseOrUndefined(body) : undefined;
  const match =
    sameStatus.find((r) => r.hasSubErrorCode && contains(parsed, r.subErrorCode)) ??
    sameStatus.find((r) => !r.hasSubErrorCode);
  if (match && source) {
    return {
      kind: 'classified',
      status,
      failureReason: scalarText(match.failureReason),
      message: scalarText(match.message),
      from: source.name,
      subErrorCode: match.subErrorCode,
    };
  }
  if (isSuccessStatus(status)) return undefined;
  return { kind: 'unclassified', status, failureReason: 'Unclassified', message: UNCLASSIFIED_MESSAGE };
}

/** A classified answer counts as a failure unless it is a 2xx matched by its plain status row ("200: Success"). */
export function isFailure(status: number, classification: Classification | undefined): boolean {
  if (!isSuccessStatus(status)) return true;
  return classification !== undefined && classification.subErrorCode !== undefined;
}
