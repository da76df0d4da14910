import { AMPLITUDE_FREEMARKER_VERSION, NEWER_BUILTINS, newerNameIn, versionAtLeast } from '../ftl/builtinVersions';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { sharingPlan } from './classDataSharing';

const MAIN_CLASS = 'AmplitudeFreemarkerWorker';

/** Where Debian's libfreemarker-java (2.3.31) puts its jar. */
export const DEBIAN_JAR = '/usr/share/java/freemarker.jar';

export interface EngineLocation {
  java: string;
  jar: string;
  jarSource: 'setting' | 'debian' | 'bundled';
  /** dist/freemarker: the worker's jar and the bundled 2.3.28 engine. */
  workerDir: string;
}

/** The worker, packed by server/freemarker/build.mjs. */
export const WORKER_JAR = 'amplitude-freemarker-worker.jar';

export type EngineProblem = { problem: string };

export interface LocateOptions {
  /** A freemarker.jar the user chose (setting or --jar). */
  jar?: string;
  /** Folder with the worker's jar and freemarker-2.3.28.jar (dist/freemarker). */
  workerDir: string;
  java?: string;
}

const JAVA_HELP =
  'Java not found: rendering templates needs a Java runtime (11 or newer). Install one (Debian/Ubuntu: sudo ' +
  'apt-get install default-jre-headless; macOS: brew install openjdk) or set JAVA_HOME.';

/** The chosen java, or JAVA_HOME's, or the one on PATH: the first that answers `-version`. */
function javaCommand(explicit: string | undefined): string | undefined {
  const candidates = explicit
    ? [explicit]
    : [process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : undefined, 'java'].filter(
        (c): c is string => !!c,
      );
  for (const candidate of candidates) {
    const probe = spawnSync(candidate, ['-version'], { stdio: 'ignore', timeout: 10_000 });
    if (probe.status === 0) return candidate;
  }
  return undefined;
}

/** Finds Java and the newest FreeMarker jar: the user's choice, then Debian's, then the bundled 2.3.28. */
export function locateEngine(options: LocateOptions): EngineLocation | EngineProblem {
  if (!fs.existsSync(path.join(options.workerDir, WORKER_JAR))) {
    return {
      problem:
        `The FreeMarker worker is not built (${options.workerDir} has no ${WORKER_JAR}): run "npm run build" ` +
        'with a JDK installed.',
    };
  }
  let jar: string;
  let jarSource: EngineLocation['jarSource'];
  if (options.jar) {
    if (!fs.existsSync(options.jar))
      return { problem: `The FreeMarker jar ${options.jar} (setting amplitude.freemarker.jarPath) does not exist.` };
    jar = options.jar;
    jarSource = 'setting';
  } else if (fs.existsSync(DEBIAN_JAR)) {
    jar = DEBIAN_JAR;
    jarSource = 'debian';
  } else {
    jar = path.join(options.workerDir, 'freemarker-2.3.28.jar');
    jarSource = 'bundled';
  }
  const java = javaCommand(options.java);
  if (!java) return { problem: JAVA_HELP };
  return { java, jar, jarSource, workerDir: options.workerDir };
}

export interface TemplateError {
  kind: 'syntax' | 'render' | 'timeout' | 'engine';
  message: string;
  /** 1-based, 0 when unknown. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/**
 * A stretch of a traced render's output and the template span that printed it: `start`/`end` are JS string
 * indices into the output (UTF-16 code units, `end` exclusive); line/column are 1-based, as FreeMarker's
 * getBeginLine/getBeginColumn/getEndLine/getEndColumn report them (a tab is one column), 0 when unknown.
 */
export interface PrintedSpan {
  start: number;
  end: number;
  /** An interpolation (`${...}`, `#{...}`, `[=...]`), static template text, or another directive's output. */
  kind: 'interpolation' | 'text' | 'other';
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface RenderOptions {
  /** The answer also says which template span printed each stretch of the output (`printed`). */
  trace?: boolean;
}

export type RenderResult =
  { ok: true; output: string; ms: number; printed?: PrintedSpan[] } | { ok: false; error: TemplateError; ms: number };

export { NEWER_BUILTINS };

/** Says "needs 2.3.29" instead of the old engine's confusing syntax error, where that is the cause. */
export function explainOldEngine(error: TemplateError, version: string): TemplateError {
  const lambda = /->/.test(error.message) ? { what: 'A lambda (x -> ...)', since: '2.3.29' } : undefined;
  const newer = newerNameIn(error.message) ?? lambda;
  if (!newer || versionAtLeast(version, newer.since)) return error;
  const where = versionAtLeast(AMPLITUDE_FREEMARKER_VERSION, newer.since)
    ? `Amplitude renders with FreeMarker ${AMPLITUDE_FREEMARKER_VERSION}: install libfreemarker-java ` +
      `(${AMPLITUDE_FREEMARKER_VERSION}) or set amplitude.freemarker.jarPath to a newer freemarker.jar.`
    : `Amplitude renders with FreeMarker ${AMPLITUDE_FREEMARKER_VERSION}, which does not have it either.`;
  return {
    ...error,
    message: `${newer.what} needs FreeMarker ${newer.since} or newer, and the engine in use is ${version}. ${where}`,
  };
}

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
}

export const DEFAULT_WORKER_OPTIONS: Required<WorkerOptions> = {
  timeoutMs: 5000,
  maxHeapMb: 64,
  maxOutputChars: 8 * 1024 * 1024,
  longRun: false,
};

interface Job {
  id: number;
  op: 'render' | 'parse' | 'renderMany';
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

/** A traced answer's spans are bounded by the worker (amplitude.maxTraceSpans): room for them on the line. */
const TRACE_LINE_CHARS = 50_000 * 64;

/** Templates given a key (the JVM keeps the parsed template under it): a replay sends the text once, not per event. */
const TEMPLATE_KEYS = 64;

const failure = (kind: TemplateError['kind'], message: string): TemplateError => ({
  kind,
  message,
  line: 0,
  column: 0,
  endLine: 0,
  endColumn: 0,
});

/**
 * Splits a stream into lines in linear time: each chunk is searched once, and a line that would pass
 * `limit` bytes is reported instead of held.
 */
class LineReader {
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(
    private readonly limit: number,
    private readonly onLine: (line: string) => void,
    private readonly onOverflow: () => void,
  ) {}

  push(chunk: Buffer): void {
    let from = 0;
    for (let newline = chunk.indexOf(10); newline >= 0; newline = chunk.indexOf(10, from)) {
      this.chunks.push(chunk.subarray(from, newline));
      const line = Buffer.concat(this.chunks).toString('utf8');
      this.chunks = [];
      this.size = 0;
      from = newline + 1;
      this.onLine(line);
    }
    if (from < chunk.length) {
      this.size += chunk.length - from;
      if (this.size > this.limit) {
        this.chunks = [];
        this.size = 0;
        this.onOverflow();
        return;
      }
      this.chunks.push(chunk.subarray(from));
    }
  }

  reset(): void {
    this.chunks = [];
    this.size = 0;
  }
}

interface WorkerMessage {
  ready?: boolean;
  version?: string;
  id?: string;
  ok?: boolean;
  output?: string;
  /** A traced render: [start, end, kind, line, column, endLine, endColumn] per stretch of the output. */
  printed?: [number, number, 'i' | 't' | 'o', number, number, number, number][];
  /** A batch's answers, one per render, in order. */
  outputs?: WorkerMessage[];
  /** 'internal' for a bug in the worker, 'missing-template' for a key the JVM does not hold. */
  error?: Omit<TemplateError, 'kind'> & { kind: TemplateError['kind'] | 'internal' | 'missing-template' | 'skipped' };
}

const SPAN_KINDS = { i: 'interpolation', t: 'text', o: 'other' } as const;

function printedSpans(printed: NonNullable<WorkerMessage['printed']>): PrintedSpan[] {
  return printed.map(([start, end, kind, line, column, endLine, endColumn]) => ({
    start,
    end,
    kind: SPAN_KINDS[kind] ?? 'other',
    line,
    column,
    endLine,
    endColumn,
  }));
}

function templateError(error: WorkerMessage['error']): TemplateError {
  if (!error) return failure('engine', 'The worker answered no error.');
  const kind =
    error.kind === 'internal' || error.kind === 'missing-template' || error.kind === 'skipped' ? 'engine' : error.kind;
  return { ...error, kind };
}

/**
 * One long-lived JVM running FreeMarker, spoken to in JSON lines: requests are written ahead (up to
 * PIPELINE) and rendered in order. Started with an argument array (never a shell string) and a capped
 * heap. A request's timer starts once it is written and the oldest in flight; a render past its time fails
 * alone (the JVM is killed and the requests behind it go to a new one); a request that cannot be written
 * fails before any timer starts.
 */
export class FreemarkerWorker {
  private child: ChildProcessWithoutNullStreams | undefined;
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
  private trainSharing: (() => void) | undefined;
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
    if (this.ready) return this.ready;
    const started = performance.now();
    const classpath = [path.join(this.location.workerDir, WORKER_JAR), this.location.jar];
    const flags = [
      `-Xmx${this.options.maxHeapMb}m`,
      '-Xss4m',
      '-XX:+UseSerialGC',
      ...(this.options.longRun ? [] : ['-XX:TieredStopAtLevel=1', '-XX:CICompilerCount=1']),
      '-XX:ReservedCodeCacheSize=16m',
      '-XX:MaxMetaspaceSize=48m',
      // No shared-memory counters for jstat, no logging library looked up: both cost every start.
      '-XX:-UsePerfData',
      '-Dorg.freemarker.loggerLibrary=none',
      `-Damplitude.maxOutputChars=${this.options.maxOutputChars}`,
    ];
    const sharing = sharingPlan(this.location.java, classpath, flags, MAIN_CLASS);
    this.trainSharing = sharing.train;
    const args = [...flags, ...sharing.args, '-cp', classpath.join(path.delimiter), MAIN_CLASS];
    const child = spawn(this.location.java, args, { stdio: 'pipe' });
    this.child = child;
    this.sentKeys = new Set();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.stdin.on('error', () => undefined);
    this.ready = new Promise<string>((resolve, reject) => {
      const reader = new LineReader(
        this.options.maxOutputChars * 2 + TRACE_LINE_CHARS + 64 * 1024,
        (line) => this.onLine(child, line, started, resolve),
        () =>
          this.failCurrent(
            child,
            failure('render', `The output passed ${this.options.maxOutputChars} characters and was stopped.`),
          ),
      );
      child.stdout.on('data', (chunk: Buffer) => reader.push(chunk));
      child.on('error', (error) => reject(new Error(`Could not start Java (${error.message}).`)));
      child.on('exit', (code, signal) => {
        const reason =
          `The FreeMarker worker stopped ` +
          `(${signal ?? `exit ${code}`})${stderr ? `: ${stderr.trim().split('\n').slice(-3).join(' ')}` : ''}`;
        reject(new Error(reason));
        this.onExit(child, reason);
      });
    });
    this.ready.catch(() => undefined); // awaited by pump(); a JVM that dies later must not warn unhandled
    return this.ready;
  }

  private onLine(
    child: ChildProcessWithoutNullStreams,
    line: string,
    started: number,
    ready: (version: string) => void,
  ): void {
    if (child !== this.child) return;
    let message: WorkerMessage;
    try {
      message = JSON.parse(line) as WorkerMessage;
    } catch {
      return;
    }
    if (message.ready) {
      this.version = message.version ?? '';
      this.startMs = performance.now() - started;
      ready(this.version);
      // The first start without an archive builds one for the next, once this JVM is up.
      this.trainSharing?.();
      this.trainSharing = undefined;
      return;
    }
    const job = this.inFlight.find((j) => j.id === Number(message.id));
    if (!job) return;
    if (message.error?.kind === 'missing-template' && !job.withTemplate) return this.resend(job);
    if (job.members && message.ok && message.outputs?.length === job.members.length)
      return this.finishBatch(job, job.members, message.outputs);
    this.finish(job, this.resultOf(message, performance.now() - job.started));
  }

  private resultOf(message: WorkerMessage, ms: number): RenderResult {
    if (message.ok && message.printed) {
      return { ok: true, output: message.output ?? '', ms, printed: printedSpans(message.printed) };
    }
    return message.ok
      ? { ok: true, output: message.output ?? '', ms }
      : { ok: false, error: explainOldEngine(templateError(message.error), this.version), ms };
  }

  /** Each render of the batch gets its own answer; one skipped for the batch's output budget goes again alone. */
  private finishBatch(batch: Job, members: Job[], outputs: WorkerMessage[]): void {
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
    for (let next = this.queue[0]; next && members.length < BATCH && size < BATCH_DATA_CHARS; next = this.queue[0]) {
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
    const template = withText ? `,"template":${JSON.stringify(job.template)}` : '';
    const trace = job.trace ? ',"trace":true' : '';
    const head = `{"id":${job.id},"op":"${job.op}","name":${JSON.stringify(job.name)},"key":${key}${trace}`;
    return `${head}${template},"data":${job.data}}\n`;
  }

  /** The JVM ended: the request it was running (if any) fails; the others go to a new JVM. */
  private onExit(child: ChildProcessWithoutNullStreams, reason: string): void {
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
  private failCurrent(child: ChildProcessWithoutNullStreams, error: TemplateError): void {
    if (child !== this.child) return;
    this.kill();
    this.failHead(error);
  }

  private kill(): void {
    const child = this.child;
    this.child = undefined;
    this.ready = undefined;
    child?.kill('SIGKILL');
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

  private async started(): Promise<ChildProcessWithoutNullStreams | undefined> {
    try {
      await this.start();
      return this.child;
    } catch (error) {
      this.startProblem = error instanceof Error ? error.message : String(error);
      return undefined;
    }
  }

  private write(child: ChildProcessWithoutNullStreams, job: Job): void {
    this.inFlight.push(job);
    job.started = performance.now();
    child.stdin.write(this.lineFor(job), () => {
      if (this.child !== child || !this.inFlight.includes(job)) return;
      job.written = true;
      this.armHead();
    });
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
