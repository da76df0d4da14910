import { mask } from '../base/mask';
import type { EndpointTestResult } from '../testing/endpointTest';
import type { BuiltRequest } from '../testing/request';
import type { SyncSummary } from '../testing/simulate';

const SHOWN_BODY = 4000;

/** A request as text: method and URL, headers, body (clipped; --format json has it all). Secrets masked. */
export function requestText(request: BuiltRequest, label?: string): string {
  const hide = (text: string) => mask(text, request.secrets);
  const lines = [`${label ? `${label}: ` : ''}${request.method} ${hide(request.url)}`];
  for (const [key, value] of Object.entries(request.headers)) lines.push(`  ${key}: ${hide(value)}`);
  if (request.body !== '') {
    const body = hide(request.body);
    const clipped =
      body.length > SHOWN_BODY
        ? `${body.slice(0, SHOWN_BODY)}… (${body.length - SHOWN_BODY} more characters; --format json shows all)`
        : body;
    lines.push(`  ${clipped}`);
  }
  for (const note of request.notes ?? []) lines.push(`  note: ${hide(note)}`);
  return lines.join('\n');
}

/** A request as JSON data (no secrets list), for --format json; masked by the caller. */
export function requestJson(request: BuiltRequest): Omit<BuiltRequest, 'secrets'> {
  const { secrets: _secrets, ...shown } = request;
  return shown;
}

function classificationLine(r: EndpointTestResult): string | undefined {
  const c = r.classification;
  if (!c) return undefined;
  if (c.kind === 'unclassified') return `  unclassified: ${c.message}`;
  const copied = c.from !== r.endpoint ? ` (errors copied from ${c.from})` : '';
  return `  classified as "${c.failureReason}"${copied}: ${c.message}`;
}

const ANSWER_BYTES = 2048;
const ANSWER_LINES = 20;

/**
 * The answer's body, for a non-2xx or classified answer (a 400's reason is what a partner needs to
 * read): masked first, then bounded to the first 2 KB and 20 lines, so a clip never splits a secret.
 */
function answerBodyLines(body: string, secrets: string[]): string[] {
  if (body === '') return ['  body: (empty)'];
  const masked = mask(body, secrets);
  let shown = masked.slice(0, ANSWER_BYTES);
  const lines = shown.split(/\r?\n/);
  if (lines.length > ANSWER_LINES) shown = lines.slice(0, ANSWER_LINES).join('\n');
  const rest = masked.length - shown.length;
  const more = rest > 0 ? [`  … (${rest} more characters; --format json shows all)`] : [];
  return ['  body:', ...shown.split(/\r?\n/).map((line) => `    ${line}`), ...more];
}

/** A test's outcome as text: what was sent, what came back, what Amplitude would make of it. */
export function resultLines(r: EndpointTestResult): string[] {
  const hide = (text: string) => mask(text, r.request.secrets);
  const lines = [
    `${r.endpoint}: ${r.request.method} ${hide(r.request.url)}${r.batches > 1 ? ` (batch 1 of ${r.batches})` : ''}`,
  ];
  for (const note of r.request.notes ?? []) lines.push(`  note: ${hide(note)}`);
  if (!r.result.ok) {
    lines.push(`  failed after ${r.result.timing.totalMs.toFixed(0)} ms: ${hide(r.result.message)}`);
    if (r.delivery) lines.push(`  ${r.delivery.text}`);
    return lines;
  }
  const t = r.result.timing;
  lines.push(
    `  ${r.result.status} ${r.result.statusText} in ${t.totalMs.toFixed(0)} ms (waiting ` +
      `${t.waitingMs.toFixed(0)} ms, ` +
      `download ${t.downloadMs.toFixed(0)} ms), ${r.result.bytes} bytes${r.result.truncated ? ' (truncated)' : ''}`,
  );
  if (r.result.headers['retry-after']) lines.push(`  Retry-After: ${hide(r.result.headers['retry-after'])}`);
  if (r.result.redirectTo)
    lines.push(`  redirect to ${hide(r.result.redirectTo)} (not followed: Amplitude does not follow redirects)`);
  const classification = classificationLine(r);
  if (classification) lines.push(hide(classification));
  const status = r.result.status;
  if (status < 200 || status >= 300 || r.classification)
    lines.push(...answerBodyLines(r.result.body, r.request.secrets));
  if (r.listId)
    lines.push(hide(r.listId.ok ? `  list id: ${JSON.stringify(r.listId.listId)}` : `  ${r.listId.problem}`));
  if (r.delivery) lines.push(`  ${r.delivery.text}`);
  return lines;
}

/** A sync's summary as text. */
export function summaryLines(name: string, summary: SyncSummary): string[] {
  const statuses =
    Object.entries(summary.statusCounts)
      .map(([k, v]) => `${k} x${v}`)
      .join(', ') || 'none';
  const listId = summary.listId === undefined ? '' : `, list ${JSON.stringify(summary.listId)}`;
  return [
    `Simulated sync of ${name}: ${summary.requests} requests in ${(summary.durationMs / 1000).toFixed(1)} s${listId}`,
    `  users added ${summary.users.added}, removed ${summary.users.removed}`,
    `  statuses: ${statuses}${summary.failed ? ` (${summary.failed} failed)` : ''}`,
    ...Object.entries(summary.classified).map(([k, v]) => `  classified error "${k}" x${v}`),
    `  latency p50 ${summary.latencyMs.p50.toFixed(0)} ms, p95 ${summary.latencyMs.p95.toFixed(0)} ms`,
    ...(summary.problem ? [`  stopped: ${summary.problem}`] : []),
    ...(summary.verification
      ? [`  ${summary.verification.message}`, ...summary.verification.differences.map((d) => `    ${d}`)]
      : []),
  ];
}
