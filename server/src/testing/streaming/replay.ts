import { percentile } from '../../base/stats';
import { limitsOf } from '../../manifest/limits';
import {
  ATTEMPT_OFFSETS_SECONDS,
  ATTEMPTS,
  nextDeliveryStep,
  type DeliveryPosition,
  type DeliveryStep,
  type RandomSource,
} from './delivery';
import { abortableDelay, duration } from '../../base/timeouts';
import { DeadTargetWatch } from './deadTarget';
import { retarget } from '../endpointTest';
import type { RenderedEvent, ReplayRenders } from './replayRenders';
import { renderFailureText } from '../runner';
import type { BuiltRequest } from '../request';
import type { EndpointSender, SendResult } from '../send';
import { buildStreamingRequest } from './streamingRequest';
import { readMockState, type Verification } from '../verify';
import { verifyReplay } from './verifyReplay';

/** One event the replay could not deliver as it is, with the event and the body for the partner to read. */
export interface ReplayProblem {
  index: number;
  kind: 'render' | 'limit' | 'dropped';
  message: string;
  event: string;
  body?: string;
}

export interface ReplayReport {
  events: number;
  /** Requests sent, retries included. */
  requests: number;
  delivered: number;
  /** Events that needed at least one retry (and how many were finally delivered). */
  retried: number;
  retriedDelivered: number;
  dropped: number;
  droppedByReason: Record<string, number>;
  statusCounts: Record<string, number>;
  renderFailures: number;
  limitBreaks: number;
  latencyMs: { p50: number; p95: number };
  durationMs: number;
  eventsPerSecond: number;
  /** The first problems (render failures, limit breaks, drops), each with its event and body. */
  problems: ReplayProblem[];
  /** Attempts waited this share of Amplitude's schedule (1 = the real 4 hours); tries within one are real time. */
  timeScale: number;
  /** The first retries: the try that failed, why, and what came next (delivery.ts). */
  retries: ReplayRetry[];
  /** Set when the replay stopped early on a target that answers nothing (deadTarget.ts): why. */
  gaveUp?: string;
}

/** One retry: after attempt `attempt`'s try `try` failed, another try within it, or the next attempt. */
export interface ReplayRetry {
  index: number;
  attempt: number;
  try: number;
  reason: string;
  next: 'try' | 'attempt';
  /** The wait before it, as waited (ms; an attempt's is scaled). */
  waitedMs: number;
  /** The next attempt's start on Amplitude's schedule, seconds after the first (unscaled). */
  atSeconds?: number;
  /** The retry in a sentence, for the CLI and the editor's output. */
  text: string;
}

/** One retry as Amplitude would make it: what failed, what came next, when. */
function retryText(retry: Omit<ReplayRetry, 'text'>): string {
  const failed = `event ${retry.index + 1} attempt ${retry.attempt} try ${retry.try}: ${retry.reason}`;
  if (retry.next === 'try') return `${failed}; try ${retry.try + 1} after ${Math.round(retry.waitedMs)} ms`;
  const at = retry.atSeconds === undefined ? '' : ` at +${duration(retry.atSeconds)} on the schedule`;
  return `${failed}; attempt ${retry.attempt + 1}${at} (waited ${Math.round(retry.waitedMs)} ms)`;
}

export interface ReplayOptions {
  manifest: unknown;
  values: Record<string, string>;
  /** The events and their bodies, rendered ahead of the sends (replayRenders.ts, renderThread.ts). */
  renders: ReplayRenders;
  sender: EndpointSender;
  count: number;
  concurrency?: number;
  /** Requests per minute at most (default: the manifest's limits.rateLimitPerMinute). */
  rateLimitPerMinute?: number;
  /** Share of Amplitude's attempt schedule to wait (default 0.001: 4 hours become 14.4 s, for a mock). */
  timeScale?: number;
  /** The jitter of the waits within an attempt (default Math.random). */
  random?: RandomSource;
  target?: string;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

const MAX_PROBLEMS = 20;
const EXCERPT = 2000;
/** Events rendered ahead of the sends, per request in flight. */
export const RENDER_AHEAD = 4;

/** Starts requests no faster than the rate limit, across every worker. */
class RateGate {
  private next = 0;
  constructor(private readonly perMinute: number | undefined) {}

  async wait(signal?: AbortSignal): Promise<void> {
    if (!this.perMinute) return;
    const gap = 60_000 / this.perMinute;
    const now = performance.now();
    const at = Math.max(now, this.next);
    this.next = at + gap;
    if (at > now) await abortableDelay(at - now, signal);
  }
}

const excerpt = (text: string) => (text.length > EXCERPT ? `${text.slice(0, EXCERPT)}…` : text);
const statusKey = (result: SendResult) => (result.ok ? String(result.status) : result.code);

class ReplayRun {
  readonly report: ReplayReport;
  private readonly latencies: number[] = [];
  private readonly gate: RateGate;
  private readonly timeScale: number;
  private base: BuiltRequest | undefined;
  private readonly deadTarget = new DeadTargetWatch();
  /** Stops every worker's waits and sends: the caller's cancel, or a dead target. */
  private readonly stopper = new AbortController();
  readonly signal: AbortSignal;

  constructor(private readonly options: ReplayOptions) {
    this.signal = options.signal ? AbortSignal.any([options.signal, this.stopper.signal]) : this.stopper.signal;
    this.gate = new RateGate(options.rateLimitPerMinute ?? limitsOf(options.manifest).rateLimitPerMinute);
    this.timeScale = options.timeScale ?? 0.001;
    this.report = {
      events: 0,
      requests: 0,
      delivered: 0,
      retried: 0,
      retriedDelivered: 0,
      dropped: 0,
      droppedByReason: {},
      statusCounts: {},
      renderFailures: 0,
      limitBreaks: 0,
      latencyMs: { p50: 0, p95: 0 },
      durationMs: 0,
      eventsPerSecond: 0,
      problems: [],
      timeScale: this.timeScale,
      retries: [],
    };
  }

  private problem(problem: Omit<ReplayProblem, 'event'>): void {
    if (this.report.problems.length >= MAX_PROBLEMS) return;
    const event = excerpt(JSON.stringify(this.options.renders.eventAt(problem.index)));
    this.report.problems.push({ ...problem, event });
  }

  /** One event's render, its limit breaks recorded: the request to send, or none. */
  prepare({ index, render }: RenderedEvent): BuiltRequest | undefined {
    const { options, report } = this;
    report.events++;
    if (!render.ok) {
      report.renderFailures++;
      this.problem({ index, kind: 'render', message: renderFailureText(render) });
      return undefined;
    }
    for (const message of render.limitBreaks) {
      report.limitBreaks++;
      this.problem({ index, kind: 'limit', message, body: excerpt(render.output) });
    }
    // URL, headers and secrets do not depend on the event: built once.
    this.base ??= retarget(buildStreamingRequest(options.manifest, '', options.values), options.target);
    return { ...this.base, body: render.output };
  }

  /** One event's request, sent with Amplitude's retries until delivered or dropped. */
  async send(index: number, request: BuiltRequest): Promise<void> {
    const { report } = this;
    const { step, requests } = await this.deliver(request, index);
    if (requests > 1) report.retried++;
    if (step.kind === 'delivered') {
      report.delivered++;
      if (requests > 1) report.retriedDelivered++;
      return;
    }
    // Stopped with a retry to come: counted as dropped, as the replay did not deliver it.
    const reason = step.kind === 'dropped' ? step.reason : `${step.reason}, then stopped`;
    report.dropped++;
    report.droppedByReason[reason] = (report.droppedByReason[reason] ?? 0) + 1;
    const last = `the last at +${duration(ATTEMPT_OFFSETS_SECONDS[ATTEMPTS - 1])}`;
    const message =
      step.kind === 'dropped' ? `Amplitude would drop this event: ${reason} (${last}).` : `Not delivered: ${reason}.`;
    this.problem({ index, kind: 'dropped', message, body: excerpt(request.body) });
  }

  /** Tries and attempts as delivery.ts decides them, until delivered, dropped or stopped. */
  private async deliver(request: BuiltRequest, index: number): Promise<{ step: DeliveryStep; requests: number }> {
    const clock = { now: () => performance.now() };
    const timing = { clock, random: this.options.random ?? Math.random, timeScale: this.timeScale };
    const first = clock.now();
    let at: DeliveryPosition = { attempt: 1, try: 1, attemptStartedMs: first, firstAttemptStartedMs: first };
    for (let requests = 1; ; requests++) {
      const result = await this.sendOnce(request);
      const step = nextDeliveryStep(result, at, timing);
      if (step.kind === 'delivered' || step.kind === 'dropped' || this.signal?.aborted) return { step, requests };
      if (this.report.retries.length < MAX_PROBLEMS) {
        const atSeconds = step.kind === 'attempt' ? step.atSeconds : undefined;
        const retry = { index, attempt: at.attempt, try: at.try, reason: step.reason, waitedMs: step.waitMs };
        const shown = { ...retry, next: step.kind, atSeconds };
        this.report.retries.push({ ...shown, text: retryText(shown) });
      }
      await abortableDelay(step.waitMs, this.signal);
      at =
        step.kind === 'try'
          ? { ...at, try: step.try }
          : { ...at, attempt: step.attempt, try: 1, attemptStartedMs: clock.now() };
    }
  }

  private async sendOnce(request: BuiltRequest): Promise<SendResult> {
    await this.gate.wait(this.signal);
    const started = performance.now();
    const result = await this.options.sender.send(request, this.signal);
    this.watchTarget(result);
    this.latencies.push(performance.now() - started);
    this.report.requests++;
    this.report.statusCounts[statusKey(result)] = (this.report.statusCounts[statusKey(result)] ?? 0) + 1;
    return result;
  }

  /** A dead target ends the replay (once), with why. */
  private watchTarget(result: SendResult): void {
    if (this.signal.aborted) return;
    const gaveUp = this.deadTarget.record(result);
    if (!gaveUp) return;
    this.report.gaveUp = gaveUp;
    this.stopper.abort();
  }

  finish(started: number): ReplayReport {
    const report = this.report;
    report.durationMs = performance.now() - started;
    report.eventsPerSecond = report.durationMs > 0 ? (report.events * 1000) / report.durationMs : 0;
    report.latencyMs = { p50: percentile(this.latencies, 50), p95: percentile(this.latencies, 95) };
    return report;
  }
}

/**
 * Stream replay: N events through the real template to the partner's API (or the mock), with Amplitude's
 * delivery semantics (delivery.ts: tries within an attempt on 5xx and 429, ten attempts over 4 hours whatever the
 * error, the attempts' schedule compressed by `timeScale`, then a drop), the partner's rate
 * limit and `concurrency` requests in flight. Every render failure, limit break and drop is reported.
 */
export async function replayEvents(options: ReplayOptions): Promise<ReplayReport> {
  const run = new ReplayRun(options);
  const started = performance.now();
  const concurrency = Math.max(1, options.concurrency ?? 8);
  let done = 0;
  const sender = async () => {
    for (let rendered = await options.renders.next(); rendered; rendered = await options.renders.next()) {
      if (run.signal.aborted && run.report.gaveUp) break;
      const request = run.prepare(rendered);
      if (request && !run.signal.aborted) await run.send(rendered.index, request);
      options.onProgress?.(++done, options.count);
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, sender));
  } finally {
    await options.renders.close();
  }
  return run.finish(started);
}

/**
 * A replay, then (against the bundled mock) what the mock recorded compared with the report. The renders
 * are closed, and what started them ended, whatever happens.
 */
export async function replayAndVerify(
  options: Omit<ReplayOptions, 'renders'>,
  rendering: { renders: ReplayRenders; dispose(): Promise<void> | void },
): Promise<{ report: ReplayReport; verification?: Verification }> {
  const { target, sender } = options;
  try {
    const before = target ? await readMockState(target, sender) : undefined;
    const report = await replayEvents({ ...options, renders: rendering.renders });
    const verification =
      target && before !== undefined ? await verifyReplay(target, sender, before, report) : undefined;
    return { report, verification };
  } finally {
    await rendering.renders.close();
    await rendering.dispose();
  }
}
