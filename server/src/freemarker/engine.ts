/**
 * The FreeMarker worker as callers see it: `FreemarkerWorker` queues renders, writes them ahead to one JVM,
 * batches those of one template, keys templates so their text goes once, and fails a render alone on a timeout
 * or a dead JVM. The layers under it, as rust-analyzer splits its worker API: `worker/process.ts` (the JVM),
 * `worker/framing.ts` (bounded lines), `worker/messages.ts` (the wire format and the version handshake), and
 * `location.ts` (where Java and FreeMarker are). Their public names are exported from here too.
 */
import { performance } from 'perf_hooks';
import { explainOldEngine } from './engineVersions';
import type { EngineLocation } from './location';
import {
  failure,
  requestLine,
  templateError,
  type Answer,
  type RenderOptions,
  type RenderResult,
  type RequestOp,
  type TemplateError,
} from './worker/messages';
import { RefusedWorker, WorkerProcess } from './worker/process';

export { DEBIAN_JAR, WORKER_JAR, locateEngine } from './location';
export type { EngineLocation, EngineProblem, LocateOptions } from './location';
export { NEWER_BUILTINS, explainOldEngine } from './engineVersions';
export { PROTOCOL_VERSION } from './worker/messages';
export type { PrintedSpan, RenderOptions, RenderResult, TemplateError } from './worker/messages';

export interface WorkerOptions {
  /** A render that runs longer is stopped (the JVM is restarted; other requests are not touched). */
  timeoutMs?: number;
  /** The JVM's heap (-Xmx), MB: a template that needs more fails with a message, the machine keeps its memory. */
  maxHeapMb?: number;
  /** A render whose output passes this many characters is stopped (the worker enforces it, Node checks it). */
  maxOutputChars?: number;
  /**
   * Thousands of renders ahead (a replay): the JVM also compiles with C2, about twice the render throughput
   * once warm, for a slower start and more memory. The editor's worker starts lean (C1 only).
   */
  longRun?: boolean;
  /** A request (its data model and template) past this many characters is refused before it is sent. */
  maxRequestChars?: number;
}

export const DEFAULT_WORKER_OPTIONS: Required<WorkerOptions> = {
  timeoutMs: 5000,
  maxHeapMb: 64,
  maxOutputChars: 8 * 1024 * 1024,
  longRun: false,
  maxRequestChars: 4 * 1024 * 1024,
};

interface Job {
  id: number;
  op: RequestOp;
  name: string;
  template: string;
  /** The data model, already serialised (a model that cannot be is refused before it is queued). */
  data: string;
  /** Set once the JVM answered that it does not hold the template: the text goes with the next try. */
  withTemplate?: boolean;
  resolve: (result: RenderResult) => void;
  started: number;
  timer?: NodeJS.Timeout;
  /** Written to the JVM's stdin (its timer may start once it is also the oldest in flight). */
  written?: boolean;
  /** A batch: the renders it carries (answered one by one; if the batch fails, each goes again alone). */
  members?: Job[];
  /** Never batched again: its batch failed, so it is rendered on its own and answers for itself. */
  alone?: boolean;
  /** The answer says where each stretch of the output was printed from. */
  trace?: boolean;
}

/** Requests written ahead to the JVM, which renders them in order: its work never waits on a round trip. */
const PIPELINE = 8;

/** Renders of one template waiting together are sent as one batch (up to this many, and this much data). */
const BATCH = 64;
const BATCH_DATA_CHARS = 1024 * 1024;

/** Templates given a key (the JVM keeps the parsed template under it): a replay sends the text once, not per event. */
const TEMPLATE_KEYS = 64;

/**
 * One long-lived JVM running FreeMarker (a WorkerProcess), spoken to in JSON lines: requests are written ahead
 * (up to PIPELINE) and rendered in order. A request's timer starts once it is written and the oldest in flight;
 * a render past its time fails alone (the JVM is killed and the requests behind it go to a new one); a request
 * that cannot be written (not serialisable, or past the worker's line cap) fails before any timer starts.
 */
export class FreemarkerWorker {
  private child: WorkerProcess | undefined;
  private ready: Promise<string> | undefined;
  private readonly queue: Job[] = [];
  /** Written to the JVM, oldest first; the JVM answers in this order, and only the oldest is rendering. */
  private inFlight: Job[] = [];
  private pumping = false;
  private nextId = 1;
  /** A key per template name and text; never reused, so a key always means the same template. */
  private readonly templateKeys = new Map<string, Map<string, number>>();
  private templateKeyCount = 0;
  private nextTemplateKey = 1;
  /** Keys whose text the current JVM was sent (it may have evicted some: it then says so). */
  private sentKeys = new Set<number>();
  private readonly options: Required<WorkerOptions>;
  private disposed = false;
  /** A worker of another protocol version: refused once, for good. */
  private refused: RefusedWorker | undefined;
  version = '';
  startMs = 0;

  constructor(
    private readonly location: EngineLocation,
    options: WorkerOptions = {},
  ) {
    this.options = {
      timeoutMs: options.timeoutMs ?? DEFAULT_WORKER_OPTIONS.timeoutMs,
      maxHeapMb: options.maxHeapMb ?? DEFAULT_WORKER_OPTIONS.maxHeapMb,
      maxOutputChars: options.maxOutputChars ?? DEFAULT_WORKER_OPTIONS.maxOutputChars,
      longRun: options.longRun ?? DEFAULT_WORKER_OPTIONS.longRun,
      maxRequestChars: options.maxRequestChars ?? DEFAULT_WORKER_OPTIONS.maxRequestChars,
    };
  }

  get jarSource(): EngineLocation['jarSource'] {
    return this.location.jarSource;
  }

  /** Where its Java and FreeMarker are: another worker can start from the same. */
  get engineLocation(): EngineLocation {
    return this.location;
  }

  pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the JVM (if needed) and resolves with the FreeMarker version. */
  start(): Promise<string> {
    if (this.refused) return Promise.reject(this.refused);
    if (this.ready) return this.ready;
    const child: WorkerProcess = new WorkerProcess(this.location, this.options, {
      answer: (answer) => this.onAnswer(child, answer),
      overflow: () =>
        this.failCurrent(
          child,
          failure('render', `The output passed ${this.options.maxOutputChars} characters and was stopped.`),
        ),
      exit: (reason) => this.onExit(child, reason),
    });
    this.child = child;
    this.sentKeys = new Set();
    this.ready = child.ready.then(
      (version) => {
        this.version = version;
        this.startMs = child.startMs;
        return version;
      },
      (error: Error) => {
        // A worker of another protocol stays refused: each start would spawn a JVM to hear the same.
        if (error instanceof RefusedWorker) this.refused = error;
        throw error;
      },
    );
    this.ready.catch(() => undefined); // awaited by pump(); a JVM that dies later must not warn unhandled
    return this.ready;
  }

  private onAnswer(child: WorkerProcess, answer: Answer): void {
    if (child !== this.child) return;
    // The worker answers in order: an answer without an id (a line it could not read) is the oldest's.
    const job = answer.id === null ? this.inFlight[0] : this.inFlight.find((j) => j.id === answer.id);
    if (!job) return;
    if (answer.error?.kind === 'missing-template' && !job.withTemplate) return this.resend(job);
    if (job.members && answer.ok && answer.outputs?.length === job.members.length)
      return this.finishBatch(job, job.members, answer.outputs);
    this.finish(job, this.resultOf(answer, performance.now() - job.started));
  }

  private resultOf(answer: Answer, ms: number): RenderResult {
    if (!answer.ok) return { ok: false, error: explainOldEngine(templateError(answer.error), this.version), ms };
    const { output, printed } = answer;
    return printed ? { ok: true, output, ms, printed } : { ok: true, output, ms };
  }

  /** Each render of the batch gets its own answer; one skipped for the batch's output budget goes again alone. */
  private finishBatch(batch: Job, members: Job[], outputs: Answer[]): void {
    this.settle(batch);
    const ms = (performance.now() - batch.started) / members.length;
    const skipped = members.filter((_, k) => outputs[k].error?.kind === 'skipped');
    this.requeueAlone(skipped);
    members.forEach((member, k) => {
      if (outputs[k].error?.kind !== 'skipped') member.resolve(this.resultOf(outputs[k], ms));
    });
    this.armHead();
    void this.pump();
  }

  /** Requests written but not answered go back first in line, to be written again. */
  private requeue(jobs: Job[]): void {
    for (const job of jobs) {
      clearTimeout(job.timer);
      job.timer = undefined;
      job.written = false;
    }
    this.queue.unshift(...jobs);
  }

  /** Renders whose batch failed (a timeout, a dead JVM) go first in line, each on its own. */
  private requeueAlone(jobs: Job[]): void {
    for (const job of jobs) job.alone = true;
    this.requeue(jobs);
  }

  /** The next request to write: the oldest, with the renders of the same template queued behind it, if any. */
  private take(): Job {
    const head = this.queue.shift() as Job;
    if (head.op !== 'render' || head.alone) return head;
    const members = [head];
    let size = head.data.length;
    for (let next = this.queue[0]; next && members.length < BATCH; next = this.queue[0]) {
      if (size + next.data.length > BATCH_DATA_CHARS) break;
      if (next.op !== 'render' || next.alone || next.trace !== head.trace) break;
      if (next.name !== head.name || next.template !== head.template) break;
      members.push(this.queue.shift() as Job);
      size += next.data.length;
    }
    if (members.length === 1) return head;
    const { name, template, trace } = head;
    const data = `[${members.map((m) => m.data).join(',')}]`;
    const resolve = () => this.requeueAlone(members);
    const started = performance.now();
    return { id: this.nextId++, op: 'renderMany', name, template, data, members, resolve, started, trace };
  }

  /** The JVM no longer holds the job's template: the job goes again, first in line, with the text. */
  private resend(job: Job): void {
    this.settle(job);
    job.withTemplate = true;
    this.sentKeys.delete(this.templateKey(job.name, job.template));
    this.requeue([job]);
    this.armHead();
    void this.pump();
  }

  private templateKey(name: string, template: string): number {
    if (this.templateKeyCount >= TEMPLATE_KEYS && !this.templateKeys.get(name)?.has(template)) {
      // Forgotten keys are never reused: the JVM lets go of their templates in time.
      this.templateKeys.clear();
      this.templateKeyCount = 0;
    }
    let byText = this.templateKeys.get(name);
    if (!byText) this.templateKeys.set(name, (byText = new Map<string, number>()));
    let key = byText.get(template);
    if (key === undefined) {
      byText.set(template, (key = this.nextTemplateKey++));
      this.templateKeyCount++;
    }
    return key;
  }

  /** The request's line: the template's text only when this JVM has not been sent it. */
  private lineFor(job: Job): string {
    const key = this.templateKey(job.name, job.template);
    const withText = job.withTemplate || !this.sentKeys.has(key);
    this.sentKeys.add(key);
    const { id, op, name, data, trace } = job;
    return requestLine({ id, op, name, key, data, trace, template: withText ? job.template : undefined });
  }

  /** The JVM ended: the request it was running (if any) fails; the others go to a new JVM. */
  private onExit(child: WorkerProcess, reason: string): void {
    if (child !== this.child) return;
    this.child = undefined;
    this.ready = undefined;
    this.failHead(failure('engine', reason));
  }

  /** The oldest request in flight fails; the ones written after it were not started and are sent again. */
  private failHead(error: TemplateError): void {
    const [head, ...rest] = this.inFlight;
    this.inFlight = [];
    this.requeue(rest);
    if (head) this.finish(head, { ok: false, error, ms: performance.now() - head.started });
    else void this.pump();
  }

  private settle(job: Job): void {
    clearTimeout(job.timer);
    this.inFlight = this.inFlight.filter((j) => j !== job);
  }

  /** A request answered or failed; a failed batch puts its renders back in line instead. */
  private finish(job: Job, result: RenderResult): void {
    this.settle(job);
    job.resolve(result);
    this.armHead();
    void this.pump();
  }

  /** The oldest request in flight is the one rendering: its time runs from when it was written and first. */
  private armHead(): void {
    const head = this.inFlight[0];
    const child = this.child;
    if (!head || !head.written || head.timer || !child) return;
    head.started = performance.now();
    head.timer = setTimeout(() => {
      const message = `Rendering took longer than ${this.options.timeoutMs} ms and was stopped (an endless loop?).`;
      this.failCurrent(child, failure('timeout', message));
    }, this.options.timeoutMs);
  }

  /** Stops a request that ran long or wrote too much, and only it: its JVM is killed, the queue goes on. */
  private failCurrent(child: WorkerProcess, error: TemplateError): void {
    if (child !== this.child) return;
    this.kill();
    this.failHead(error);
  }

  private kill(): void {
    const child = this.child;
    this.child = undefined;
    this.ready = undefined;
    child?.kill();
  }

  /** Writes queued requests while fewer than PIPELINE are in flight, starting the JVM if needed. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.queue.length > 0 && this.inFlight.length < PIPELINE && !this.disposed) {
        const child = await this.started();
        const job = this.take();
        if (!child) {
          job.resolve({ ok: false, error: failure('engine', this.startProblem), ms: 0 });
          continue;
        }
        this.write(child, job);
      }
    } finally {
      this.pumping = false;
    }
  }

  private startProblem = 'The FreeMarker worker did not start.';

  private async started(): Promise<WorkerProcess | undefined> {
    try {
      await this.start();
      return this.child;
    } catch (error) {
      this.startProblem = error instanceof Error ? error.message : String(error);
      return undefined;
    }
  }

  private write(child: WorkerProcess, job: Job): void {
    const line = this.lineFor(job);
    this.inFlight.push(job);
    job.started = performance.now();
    const fits = child.write(line, () => {
      if (this.child !== child || !this.inFlight.includes(job)) return;
      job.written = true;
      this.armHead();
    });
    if (fits) return;
    // Refused before it is written, so no timer is armed and the worker is not touched; a batch goes again alone.
    this.sentKeys.delete(this.templateKey(job.name, job.template));
    const limit = this.options.maxRequestChars;
    const why = `the request is ${line.length} characters, the worker reads at most ${limit} (so large a data model?)`;
    this.finish(job, { ok: false, error: failure('engine', `The template was not rendered: ${why}.`), ms: 0 });
  }

  private send(
    op: 'render' | 'parse',
    name: string,
    template: string,
    data: unknown,
    trace?: boolean,
  ): Promise<RenderResult> {
    if (this.disposed)
      return Promise.resolve({ ok: false, error: failure('engine', 'The FreeMarker worker was shut down.'), ms: 0 });
    const id = this.nextId++;
    let json: string;
    try {
      json = JSON.stringify(data) ?? '{}';
    } catch (error) {
      // Before anything is written, so no timer is armed and the worker is not touched.
      const why = error instanceof RangeError ? 'the data is nested too deeply to send' : String(error);
      return Promise.resolve({ ok: false, error: failure('engine', `The template was not rendered: ${why}.`), ms: 0 });
    }
    return new Promise<RenderResult>((resolve) => {
      this.queue.push({ id, op, name, template, data: json, resolve, started: performance.now(), trace });
      void this.pump();
    });
  }

  /** Renders `template` over `data`; with `trace`, the answer also says what was printed where (`printed`). */
  render(name: string, template: string, data: unknown, options?: RenderOptions): Promise<RenderResult> {
    return this.send('render', name, template, data, options?.trace === true);
  }

  parse(name: string, template: string): Promise<RenderResult> {
    return this.send('parse', name, template, {});
  }

  dispose(): void {
    this.disposed = true;
    const error = failure('engine', 'The FreeMarker worker was shut down.');
    const pending = [...this.inFlight, ...this.queue.splice(0)].flatMap((job) => job.members ?? [job]);
    this.inFlight = [];
    for (const job of pending) {
      clearTimeout(job.timer);
      job.resolve({ ok: false, error, ms: performance.now() - job.started });
    }
    this.kill();
  }
}
