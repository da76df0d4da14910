import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import type { EngineLocation, WorkerOptions } from '../../freemarker/engine';
import type { BodyTemplate } from '../../freemarker/renderBody';
import type { StreamingModel } from '../../manifest/streaming';
import { eventAt, rendersInProcess, type EventSource, type RenderedEvent, type ReplayRenders } from './replayRenders';
import type { BodyRenderer } from '../runner';

/**
 * Renders a render thread may run ahead of the sends (at least): its batches reach the main thread late,
 * after the JVM's and the thread's turn on the CPU, so the lead must cover that wait.
 */
export const THREAD_AHEAD = 512;

/** The engine a render thread runs, for every replay it serves. */
export interface RenderThreadEngine {
  engine: EngineLocation;
  worker: WorkerOptions;
}

/** One replay's renders: plain data, copied to the thread once. */
export interface ReplayPlan {
  /** The manifest's streaming model (plain data: it is copied to the thread). */
  streaming: StreamingModel;
  values: Record<string, string>;
  body: BodyTemplate;
  /** How failures name the template (a path relative to the working folder, or the file name). */
  label: string;
  source: EventSource;
  count: number;
  /** Renders the thread may run ahead of the sends. */
  ahead: number;
}

/** Main thread to render thread: start a replay, let it render further, end it, or stop the thread. */
export type ToRenderThread =
  | { start: number; plan: ReplayPlan }
  | { replay: number; allow: number; consumed: number }
  | { end: number }
  | { stop: true };
/** Render thread to main thread: a replay's next renders in event order, or why it cannot go on. */
export type FromRenderThread = { replay: number; renders: RenderedEvent[] } | { replay: number; failed: string };

/**
 * The thread's script: dist/render-thread.js beside the bundles, renderThreadEntry.js beside this file when
 * run from compiled sources (tests, benches). Undefined when neither is there: replays render in-process.
 */
function threadScript(): string | undefined {
  return ['render-thread.js', 'renderThreadEntry.js'].map((name) => path.join(__dirname, name)).find(fs.existsSync);
}

interface Waiter {
  resolve: (rendered: RenderedEvent | undefined) => void;
  reject: (error: Error) => void;
}

/** The main thread's side of one replay: renders arrive in order and are handed out in order. */
class ThreadReplay implements ReplayRenders {
  private readonly ready: RenderedEvent[] = [];
  private readonly waiting: Waiter[] = [];
  private handedOut = 0;
  private allowed: number;
  private failure: Error | undefined;
  private ended = false;

  constructor(
    readonly id: number,
    private readonly plan: ReplayPlan,
    private readonly post: (message: ToRenderThread) => void,
    private readonly onEnd: () => void,
    private readonly signal?: AbortSignal,
  ) {
    this.allowed = plan.ahead;
  }

  receive(renders: RenderedEvent[]): void {
    for (const rendered of renders) {
      const waiter = this.waiting.shift();
      if (waiter) waiter.resolve(rendered);
      else this.ready.push(rendered);
    }
  }

  fail(error: Error): void {
    this.failure ??= error;
    for (const waiter of this.waiting.splice(0)) waiter.reject(this.failure);
  }

  next(): Promise<RenderedEvent | undefined> {
    if (this.ended || this.handedOut >= this.plan.count || this.signal?.aborted) return Promise.resolve(undefined);
    if (this.failure) return Promise.reject(this.failure);
    this.handedOut++;
    const rendered = this.ready.shift();
    // More room for the thread once half its lead is taken (credit in a few messages, not one per event),
    // or when nothing is ready: a thread that paused on its byte budget learns what was taken.
    if (this.allowed - this.handedOut < this.plan.ahead / 2 || !rendered) {
      this.allowed = this.handedOut + this.plan.ahead;
      this.post({ replay: this.id, allow: this.allowed, consumed: this.handedOut });
    }
    if (rendered) return Promise.resolve(rendered);
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  eventAt(index: number): Record<string, unknown> {
    return eventAt(this.plan.source, index);
  }

  close(): Promise<void> {
    if (!this.ended) {
      this.ended = true;
      for (const waiter of this.waiting.splice(0)) waiter.resolve(undefined);
      this.post({ end: this.id });
      this.onEnd();
    }
    return Promise.resolve();
  }
}

/**
 * A worker thread with its own FreeMarker worker that renders replays: building each event's data model,
 * the JSON to and from the JVM and the limit checks stay off the thread that sends, which then only sends.
 * It serves one replay after another, its JVM warm; `dispose` ends both.
 */
export class RenderThread {
  private readonly thread: Worker;
  private readonly replays = new Map<number, ThreadReplay>();
  private nextId = 1;
  private failure: Error | undefined;
  private readonly exited: Promise<void>;

  private constructor(script: string, engine: RenderThreadEngine) {
    this.thread = new Worker(script, { workerData: engine });
    this.thread.on('message', (message: FromRenderThread) => {
      const replay = this.replays.get(message.replay);
      if (!replay) return;
      if ('failed' in message) replay.fail(new Error(message.failed));
      else replay.receive(message.renders);
    });
    this.thread.on('error', (error) => this.failAll(error));
    this.exited = new Promise((resolve) =>
      this.thread.on('exit', () => {
        this.failAll(new Error('The render thread stopped before rendering every event.'));
        resolve();
      }),
    );
  }

  /** A render thread, or undefined when its script is not there (replays then render in-process). */
  static start(engine: RenderThreadEngine): RenderThread | undefined {
    const script = threadScript();
    return script ? new RenderThread(script, engine) : undefined;
  }

  private failAll(error: Error): void {
    this.failure ??= error;
    for (const replay of this.replays.values()) replay.fail(this.failure);
  }

  private post(message: ToRenderThread): void {
    if (!this.failure) this.thread.postMessage(message);
  }

  /** One replay's renders, in event order; close it to end the replay (the thread stays for the next). */
  renders(plan: ReplayPlan, signal?: AbortSignal): ReplayRenders {
    plan = { ...plan, ahead: Math.max(plan.ahead, THREAD_AHEAD) };
    const id = this.nextId++;
    const post = (message: ToRenderThread) => this.post(message);
    const replay = new ThreadReplay(id, plan, post, () => this.replays.delete(id), signal);
    if (this.failure) replay.fail(this.failure);
    this.replays.set(id, replay);
    this.post({ start: id, plan });
    return replay;
  }

  /** Ends the thread and its JVM; one that does not end within 5 s is terminated. */
  async dispose(): Promise<void> {
    this.post({ stop: true });
    const timer = setTimeout(() => void this.thread.terminate(), 5000);
    await this.exited;
    clearTimeout(timer);
  }
}

/** A replay's renders, and what ends what they started (a thread, a worker). */
export interface ReplayRendering {
  renders: ReplayRenders;
  dispose(): Promise<void> | void;
}

/**
 * A replay's renders: on a render thread with a worker of its own when there is a template to give it and
 * the thread's script is there, else in this thread through `fallback` (which says, per event, why not).
 */
export function replayRendering(
  onThread: { body: BodyTemplate; label: string; engine: RenderThreadEngine } | undefined,
  plan: Omit<ReplayPlan, 'body' | 'label'>,
  fallback: () => { render: BodyRenderer; dispose?: () => void },
  signal?: AbortSignal,
): ReplayRendering {
  const thread = onThread && RenderThread.start(onThread.engine);
  if (onThread && thread) {
    const renders = thread.renders({ ...plan, body: onThread.body, label: onThread.label }, signal);
    return { renders, dispose: () => thread.dispose() };
  }
  const { render, dispose } = fallback();
  return { renders: rendersInProcess({ ...plan, render, signal }), dispose: () => dispose?.() };
}
