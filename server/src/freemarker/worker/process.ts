/**
 * The worker's JVM as a process: started with an argument array (never a shell string), a capped heap and
 * stack, class data sharing where it helps; its stdout read as framed lines, its first line checked (the version
 * handshake), its stderr's tail kept for the message when it stops. It knows nothing of queues or renders.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'child_process';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { sharingPlan } from '../classDataSharing';
import { WORKER_JAR, type EngineLocation } from '../location';
import { LineReader, writeLine } from './framing';
import { helloProblem, readWorkerLine, type Answer, type Hello } from './messages';

export const MAIN_CLASS = 'AmplitudeFreemarkerWorker';

/** What a JVM is started with (WorkerOptions, resolved). */
export interface ProcessOptions {
  maxHeapMb: number;
  maxOutputChars: number;
  /** A request line past this many characters is refused before it is written (the JVM would drop it). */
  maxRequestChars: number;
  longRun: boolean;
}

export interface ProcessHandlers {
  answer(answer: Answer): void;
  /** An answer line passed its bound and was dropped: the request being rendered wrote too much. */
  overflow(): void;
  /** The JVM ended (or could not start), after or before its hello. */
  exit(reason: string): void;
}

/** A worker that answered with another protocol: starting it again would give the same answer. */
export class RefusedWorker extends Error {}

/** A traced answer's spans are bounded by the worker (amplitude.maxTraceSpans): room for them on the line. */
const TRACE_LINE_CHARS = 50_000 * 64;

function jvmFlags(options: ProcessOptions): string[] {
  return [
    `-Xmx${options.maxHeapMb}m`,
    '-Xss4m',
    '-XX:+UseSerialGC',
    ...(options.longRun ? [] : ['-XX:TieredStopAtLevel=1', '-XX:CICompilerCount=1']),
    '-XX:ReservedCodeCacheSize=16m',
    '-XX:MaxMetaspaceSize=48m',
    // No shared-memory counters for jstat, no logging library looked up: both cost every start.
    '-XX:-UsePerfData',
    '-Dorg.freemarker.loggerLibrary=none',
    `-Damplitude.maxOutputChars=${options.maxOutputChars}`,
    `-Damplitude.maxRequestChars=${options.maxRequestChars}`,
  ];
}

/** One JVM running the worker. `ready` resolves with FreeMarker's version once its hello is accepted. */
export class WorkerProcess {
  readonly ready: Promise<string>;
  /** From spawn to the accepted hello, ms. */
  startMs = 0;
  private readonly child: ChildProcessWithoutNullStreams;
  private stderr = '';
  private hello: Hello | undefined;

  constructor(
    private readonly location: EngineLocation,
    private readonly options: ProcessOptions,
    private readonly handlers: ProcessHandlers,
  ) {
    const started = performance.now();
    const classpath = [path.join(location.workerDir, WORKER_JAR), location.jar];
    const flags = jvmFlags(options);
    const sharing = sharingPlan(location.java, classpath, flags, MAIN_CLASS);
    const args = [...flags, ...sharing.args, '-cp', classpath.join(path.delimiter), MAIN_CLASS];
    this.child = spawn(location.java, args, { stdio: 'pipe' });
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-4000);
    });
    this.child.stdin.on('error', () => undefined);
    this.ready = new Promise<string>((resolve, reject) => this.listen(started, sharing.train, resolve, reject));
    this.ready.catch(() => undefined); // awaited by the worker; a JVM that dies later must not warn unhandled
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  private listen(
    started: number,
    train: (() => void) | undefined,
    resolve: (version: string) => void,
    reject: (error: Error) => void,
  ): void {
    const limit = this.options.maxOutputChars * 2 + TRACE_LINE_CHARS + 64 * 1024;
    const reader = new LineReader(
      limit,
      (line) => this.onLine(line, () => resolve(this.accepted(started, train)), reject),
      () => this.handlers.overflow(),
    );
    this.child.stdout.on('data', (chunk: Buffer) => reader.push(chunk));
    this.child.on('error', (error) => reject(new Error(`Could not start Java (${error.message}).`)));
    this.child.on('exit', (code, signal) => {
      const tail = this.stderr ? `: ${this.stderr.trim().split('\n').slice(-3).join(' ')}` : '';
      const reason = `The FreeMarker worker stopped (${signal ?? `exit ${code}`})${tail}`;
      reject(new Error(reason));
      this.handlers.exit(reason);
    });
  }

  private accepted(started: number, train: (() => void) | undefined): string {
    this.startMs = performance.now() - started;
    // The first start without an archive builds one for the next, once this JVM is up.
    train?.();
    return this.hello?.version ?? '';
  }

  /** The first line must be the hello of our protocol; every later one is an answer. */
  private onLine(line: string, ready: () => void, refuse: (error: Error) => void): void {
    const message = readWorkerLine(line);
    if (this.hello) {
      if (message && 'answer' in message) this.handlers.answer(message.answer);
      return;
    }
    const jar = path.join(this.location.workerDir, WORKER_JAR);
    const problem =
      message && 'hello' in message
        ? helloProblem(message.hello, jar)
        : `The FreeMarker worker ${jar} did not introduce itself (its first line was not its hello): a stale build.`;
    if (problem || !message || !('hello' in message)) {
      refuse(new RefusedWorker(problem));
      this.kill();
      return;
    }
    this.hello = message.hello;
    ready();
  }

  /** Writes a request line; false (and nothing written) when it passes the worker's bound. */
  write(line: string, written: () => void): boolean {
    return writeLine(this.child.stdin, line, this.options.maxRequestChars, written);
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }
}
