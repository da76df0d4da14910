import * as path from 'path';
import type { ManifestAnalysis } from '../analysis';
import { MAX_DATA_BYTES } from '../base/files';
import { isObject } from '../base/value';
import { formatOutcomesJunit, type Outcome } from '../reports/junit';
import { FileRefusedError } from '../base/files';
import { readBodyTemplateFile } from '../freemarker/renderBody';
import { bodyTemplateReference } from '../manifest/streaming';
import { ATTEMPTS } from '../testing/streaming/delivery';
import { RENDER_AHEAD, replayAndVerify, type ReplayReport } from '../testing/streaming/replay';
import type { EventSource } from '../testing/streaming/replayRenders';
import { replayRendering, type ReplayRendering } from '../testing/streaming/renderThread';
import { EndpointSender } from '../testing/send';
import type { Verification } from '../testing/verify';
import { positiveNumber, readOptionFile, targetOption, testValues, wholeNumber, type Parsed } from './args';
import { cliRenderer, engineFor } from './engine';
import { FreemarkerWorker, type WorkerOptions } from '../freemarker/engine';
import { UsageError, type Io } from './io';
import { manifestScope } from './manifestFiles';
import { sendOptions } from './testCommand';

/** Events from a file: NDJSON (one per line) or a JSON array, each a JSON object. */
function eventsFromFile(file: string): Record<string, unknown>[] {
  const text = readOptionFile(file, 'The events file', MAX_DATA_BYTES).trim();
  let values: unknown[];
  try {
    values = text.startsWith('[')
      ? (JSON.parse(text) as unknown[])
      : text
          .split(/\r?\n/)
          .filter((l) => l.trim() !== '')
          .map((l) => JSON.parse(l) as unknown);
  } catch (error) {
    throw new UsageError(`${file}: not NDJSON or a JSON array of events (${(error as Error).message}).`);
  }
  const events = values.filter(isObject);
  if (events.length !== values.length) throw new UsageError(`${file}: every event must be a JSON object.`);
  if (events.length === 0) throw new UsageError(`${file} holds no events.`);
  return events;
}

/** What the replay waited, against Amplitude's schedule (delivery.ts). */
function attemptsWaited(timeScale: number): string {
  const share = timeScale === 1 ? "Amplitude's full schedule" : `${timeScale} of Amplitude's schedule`;
  return (
    `attempts waited ${share} (a first attempt and ${ATTEMPTS - 1} more over 4 hours, whatever the error; ` +
    `their spacing is ours); tries within an attempt (5xx, 429) waited ~100 ms, ~200 ms, in real time`
  );
}

function reportLines(name: string, r: ReplayReport, verification: Verification | undefined): string[] {
  const statuses =
    Object.entries(r.statusCounts)
      .map(([k, v]) => `${k} x${v}`)
      .join(', ') || 'none';
  const lines = [
    `${name}: ${r.events} events replayed in ${(r.durationMs / 1000).toFixed(1)} s ` +
      `(${r.eventsPerSecond.toFixed(0)}/s), ` +
      `${r.requests} requests (${statuses}), latency p50 ${r.latencyMs.p50.toFixed(0)} ms / p95 ` +
      `${r.latencyMs.p95.toFixed(0)} ms`,
    `  delivered ${r.delivered} (${r.retriedDelivered} after retries), retried ${r.retried}, dropped ${r.dropped}, ` +
      `render failures ${r.renderFailures}, over your limits ${r.limitBreaks}`,
    `  ${attemptsWaited(r.timeScale)}`,
  ];
  for (const retry of r.retries) lines.push(`  ${retry.text}`);
  if (r.gaveUp) lines.push(`  ${r.gaveUp} ${r.events} of the events were tried.`);
  for (const [reason, count] of Object.entries(r.droppedByReason)) lines.push(`  dropped x${count}: ${reason}`);
  for (const p of r.problems) {
    lines.push(`  event ${p.index + 1} ${p.kind}: ${p.message}`, `    event: ${p.event}`);
    if (p.body !== undefined) lines.push(`    body: ${p.body}`);
  }
  if (verification) lines.push(`  ${verification.message}`, ...verification.differences.map((d) => `    ${d}`));
  return lines;
}

function replayJunit(name: string, r: ReplayReport, verification: Verification | undefined): string {
  const outcomes: Outcome[] = [
    {
      name: 'every event rendered',
      group: 'replay',
      ok: r.renderFailures === 0,
      failure: `${r.renderFailures} render failure(s)`,
    },
    {
      name: 'every event within your limits',
      group: 'replay',
      ok: r.limitBreaks === 0,
      failure: `${r.limitBreaks} break(s)`,
    },
    { name: 'no event dropped', group: 'replay', ok: r.dropped === 0, failure: JSON.stringify(r.droppedByReason) },
    { name: 'the target answered', group: 'replay', ok: r.gaveUp === undefined, failure: r.gaveUp ?? '' },
  ];
  if (verification && verification.status !== 'unverifiable')
    outcomes.push({
      name: 'the mock recorded the same counts',
      group: 'replay',
      ok: verification.status === 'verified',
      failure: verification.differences.join('; '),
    });
  return formatOutcomesJunit(
    `amplitude-integration replay ${name}`,
    outcomes.map((o) => ({ ...o, detail: reportLines(name, r, verification).join('\n') })),
  );
}

/** `simulate <streaming manifest> --events N`: a stream replay with Amplitude's delivery semantics. */
export async function replayCommand(
  file: string,
  analysis: ManifestAnalysis,
  parsed: Parsed,
  io: Io,
  format: string,
): Promise<number> {
  const fromFile = parsed.values.get('events-file');
  const events = fromFile ? eventsFromFile(fromFile) : undefined;
  const count = wholeNumber(parsed, 'events', events?.length ?? 1000, 1_000_000) || events?.length || 1000;
  const concurrency = wholeNumber(parsed, 'concurrency', 8, 256) || 8;
  const target = targetOption(parsed);
  const values = testValues(parsed).variables;
  const source: EventSource = events ? { kind: 'list', events } : { kind: 'generated' };
  const rendering = replayRenders(file, analysis, parsed, { values, source, count, ahead: concurrency * RENDER_AHEAD });
  const sender = new EndpointSender({ ...sendOptions(parsed, io), connections: 64 });
  try {
    const options = {
      streaming: analysis.model.streaming,
      values,
      sender,
      count,
      concurrency,
      rateLimitPerMinute: parsed.values.has('rate-limit') ? positiveNumber(parsed, 'rate-limit', 1) : undefined,
      timeScale: parsed.values.has('time-scale') ? positiveNumber(parsed, 'time-scale', 0.001) : undefined,
      target,
      onProgress: progressLines(io, count),
    };
    const { report, verification } = await replayAndVerify(options, rendering);
    const name = path.basename(file);
    if (format === 'json') io.out(JSON.stringify({ ...report, verification }, null, 2));
    else if (format === 'junit') io.out(replayJunit(name, report, verification));
    else io.out(reportLines(name, report, verification).join('\n'));
    const failed =
      report.dropped > 0 ||
      report.renderFailures > 0 ||
      report.gaveUp !== undefined ||
      verification?.status === 'mismatch';
    return failed ? 1 : 0;
  } finally {
    await sender.close();
  }
}

/** Progress on standard error: the first event, then a line each twentieth (a long replay shows it moves). */
function progressLines(io: Io, total: number): (done: number) => void {
  const step = Math.max(1, Math.ceil(total / 20));
  return (done) => {
    if (done === 1 || done % step === 0 || done === total) io.err(`replay: ${done}/${total} events`);
  };
}

/** The replay's renders (a render thread compiling with C2: thousands of renders follow). */
function replayRenders(
  file: string,
  analysis: ManifestAnalysis,
  parsed: Parsed,
  plan: { values: Record<string, string>; source: EventSource; count: number; ahead: number },
): ReplayRendering {
  const { streaming } = analysis.model;
  const engine = engineFor(parsed.values.get('jar'));
  const worker: WorkerOptions = { longRun: true };
  let onThread: Parameters<typeof replayRendering>[0];
  try {
    const body = readBodyTemplateFile(bodyTemplateReference(streaming), manifestScope(file), 'request');
    onThread = { body, label: path.relative(process.cwd(), body.templatePath), engine: { engine, worker } };
  } catch (error) {
    // A template the workspace rules refuse: each event fails, saying why.
    if (!(error instanceof FileRefusedError)) throw error;
  }
  return replayRendering(onThread, { ...plan, streaming }, () => {
    const inProcess = new FreemarkerWorker(engine, worker);
    return { render: cliRenderer(inProcess, streaming, manifestScope(file)), dispose: () => inProcess.dispose() };
  });
}
