import { mask } from '../base/mask';
import type { EndpointTestResult } from '../testing/endpointTest';
import type { BuiltRequest } from '../testing/request';
import type { SyncSummary } from '../testing/cohort/simulate';
import type { ScheduleReport, ScheduledSync } from '../testing/cohort/schedule';

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

/** What Amplitude would do next with this answer, and when: streaming delivery, or a cohort request's retries. */
function deliveryLines(r: EndpointTestResult): string[] {
  const hide = (text: string) => mask(text, r.request.secrets);
  if (r.cohortRetry) return [`  ${hide(r.cohortRetry.text)}`];
  if (!r.delivery) return [];
  return [`  ${hide(r.delivery.text)}`, ...r.delivery.lines.map((line) => `    ${hide(line)}`)];
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
    lines.push(...deliveryLines(r));
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
  lines.push(...deliveryLines(r));
  return lines;
}

/** The retries Amplitude's schedule made, each with its wait and when it went (the first few). */
function retryLines(summary: SyncSummary): string[] {
  if (summary.retries === 0) return [];
  const lines = [
    `  retries ${summary.retries} on Amplitude's schedule (1 s doubling, 8 at most)` +
      (summary.gaveUp ? `; ${summary.gaveUp} requests still failing after the 8th retry` : ''),
  ];
  for (const r of summary.retried.slice(0, 10))
    lines.push(`    ${r.endpoint} retry ${r.retry} after ${r.waitSeconds} s (${r.reason}), sent at +${r.sentAtMs} ms`);
  if (summary.retries > 10)
    lines.push(`    … ${summary.retries - 10} more (--format json lists ${summary.retried.length})`);
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
    ...retryLines(summary),
    ...(summary.problem ? [`  stopped: ${summary.problem}`] : []),
    ...(summary.verification
      ? [`  ${summary.verification.message}`, ...summary.verification.differences.map((d) => `    ${d}`)]
      : []),
  ];
}

/** One sync of a schedule: each cohort's summary, then the partner's end state after it. */
export function scheduleSyncLines(sync: ScheduledSync): string[] {
  const lines = [
    `Sync ${sync.sync} (${sync.kind === 'full' ? 'full: every member added' : 'delta: who entered or left'})`,
  ];
  for (const { cohort, summary } of sync.cohorts)
    lines.push(...summaryLines(`cohort "${cohort}"`, summary).map((l) => `  ${l}`));
  if (sync.verification)
    lines.push(
      `  after sync ${sync.sync}: ${sync.verification.message}`,
      ...sync.verification.differences.map((d) => `    ${d}`),
    );
  return lines;
}

/** A schedule as text: one block per sync. */
export function scheduleLines(name: string, report: ScheduleReport): string[] {
  const cohorts = report.syncs[0]?.cohorts.length ?? 0;
  const lines = [
    `Simulated ${report.syncs.length} syncs of ${cohorts} cohort(s) to ${name}, as Amplitude schedules them`,
  ];
  if (report.overwrite) lines.push(`  warning: ${report.overwrite}`);
  for (const sync of report.syncs) lines.push('', ...scheduleSyncLines(sync));
  return lines;
}
