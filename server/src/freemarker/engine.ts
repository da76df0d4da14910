import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';

/** Where Debian's libfreemarker-java (2.3.31) puts its jar. */
export const DEBIAN_JAR = '/usr/share/java/freemarker.jar';

export interface EngineLocation {
  java: string;
  jar: string;
  jarSource: 'setting' | 'debian' | 'bundled';
  /** Folder holding the compiled AmplitudeFreemarkerWorker class. */
  workerDir: string;
}

export type EngineProblem = { problem: string };

export interface LocateOptions {
  /** A freemarker.jar the user chose (setting or --jar). */
  jar?: string;
  /** Folder with AmplitudeFreemarkerWorker.class and freemarker-2.3.28.jar (dist/freemarker). */
  workerDir: string;
  java?: string;
}

const JAVA_HELP =
  'Java not found: rendering templates needs a Java runtime (11 or newer). Install one (Debian/Ubuntu: sudo apt-get install default-jre-headless; macOS: brew install openjdk) or set JAVA_HOME.';

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
  if (!fs.existsSync(path.join(options.workerDir, 'AmplitudeFreemarkerWorker.class'))) {
    return {
      problem: `The FreeMarker worker is not built (${options.workerDir} has no AmplitudeFreemarkerWorker.class): run "npm run build" with a JDK installed.`,
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

export type RenderResult = { ok: true; output: string; ms: number } | { ok: false; error: TemplateError; ms: number };

interface Pending {
  resolve: (result: RenderResult) => void;
  started: number;
  timer: NodeJS.Timeout;
}

/** Built-ins added after 2.3.28, with the version that brought them. */
export const NEWER_BUILTINS: Record<string, string> = {
  filter: '2.3.29',
  map: '2.3.29',
  take_while: '2.3.29',
  drop_while: '2.3.29',
  with_args: '2.3.30',
  with_args_last: '2.3.30',
  eval_json: '2.3.31',
};

function versionAtLeast(version: string, wanted: string): boolean {
  const a = version.split('.').map(Number);
  const b = wanted.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

/** Says "needs 2.3.29" instead of the old engine's confusing syntax error, where that is the cause. */
export function explainOldEngine(error: TemplateError, version: string): TemplateError {
  const unknown = /Unknown built-in: "([a-z_]+)"/.exec(error.message);
  const needed = unknown ? NEWER_BUILTINS[unknown[1]] : /->/.test(error.message) ? '2.3.29' : undefined;
  if (!needed || versionAtLeast(version, needed)) return error;
  const what = unknown ? `?${unknown[1]}` : 'A lambda (x -> ...)';
  return {
    ...error,
    message: `${what} needs FreeMarker ${needed} or newer, and the engine in use is ${version}. Amplitude renders with a newer FreeMarker: install libfreemarker-java (2.3.31) or set amplitude.freemarker.jarPath to a newer freemarker.jar.`,
  };
}

/**
 * One long-lived JVM running FreeMarker, spoken to in JSON lines. Started with an argument array
 * (never a shell string), restarted when it dies, killed when a render runs past its time.
 */
export class FreemarkerWorker {
  private process: ChildProcessWithoutNullStreams | undefined;
  private ready: Promise<string> | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private buffer = '';
  version = '';
  startMs = 0;

  constructor(
    private readonly location: EngineLocation,
    private readonly timeoutMs = 5000,
  ) {}

  get jarSource(): EngineLocation['jarSource'] {
    return this.location.jarSource;
  }

  pid(): number | undefined {
    return this.process?.pid;
  }

  /** Starts the JVM (if needed) and resolves with the FreeMarker version. */
  start(): Promise<string> {
    if (this.ready) return this.ready;
    const started = performance.now();
    const classpath = [this.location.workerDir, this.location.jar].join(path.delimiter);
    const child = spawn(
      this.location.java,
      [
        '-Xss4m',
        '-XX:+UseSerialGC',
        '-XX:TieredStopAtLevel=1',
        '-Xshare:auto',
        '-cp',
        classpath,
        'AmplitudeFreemarkerWorker',
      ],
      { stdio: 'pipe' },
    );
    this.process = child;
    this.buffer = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    this.ready = new Promise<string>((resolve, reject) => {
      const onLine = (line: string) => {
        let message: {
          ready?: boolean;
          version?: string;
          id?: string;
          ok?: boolean;
          output?: string;
          error?: TemplateError;
        };
        try {
          message = JSON.parse(line) as typeof message;
        } catch {
          return;
        }
        if (message.ready) {
          this.version = message.version ?? '';
          this.startMs = performance.now() - started;
          resolve(this.version);
          return;
        }
        const id = Number(message.id);
        const pending = this.pending.get(id);
        if (!pending) return;
        this.pending.delete(id);
        clearTimeout(pending.timer);
        const ms = performance.now() - pending.started;
        pending.resolve(
          message.ok
            ? { ok: true, output: message.output ?? '', ms }
            : { ok: false, error: explainOldEngine(message.error as TemplateError, this.version), ms },
        );
      };
      child.stdout.on('data', (chunk: Buffer) => {
        this.buffer += chunk.toString('utf8');
        for (let newline = this.buffer.indexOf('\n'); newline >= 0; newline = this.buffer.indexOf('\n')) {
          const line = this.buffer.slice(0, newline);
          this.buffer = this.buffer.slice(newline + 1);
          onLine(line);
        }
      });
      child.on('error', (error) => reject(new Error(`Could not start Java (${error.message}).`)));
      child.on('exit', (code, signal) => {
        if (this.process === child) {
          this.process = undefined;
          this.ready = undefined;
        }
        const reason = `The FreeMarker worker stopped (${signal ?? `exit ${code}`})${stderr ? `: ${stderr.trim().split('\n').slice(-3).join(' ')}` : ''}`;
        reject(new Error(reason));
        this.failAll({ kind: 'engine', message: reason, line: 0, column: 0, endLine: 0, endColumn: 0 });
      });
    });
    return this.ready;
  }

  private failAll(error: TemplateError): void {
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.resolve({ ok: false, error, ms: performance.now() - pending.started });
      this.pending.delete(id);
    }
  }

  private async send(op: 'render' | 'parse', name: string, template: string, data: unknown): Promise<RenderResult> {
    try {
      await this.start();
    } catch (error) {
      return {
        ok: false,
        error: {
          kind: 'engine',
          message: error instanceof Error ? error.message : String(error),
          line: 0,
          column: 0,
          endLine: 0,
          endColumn: 0,
        },
        ms: 0,
      };
    }
    const child = this.process;
    if (!child) return this.send(op, name, template, data);
    const id = this.nextId++;
    return new Promise<RenderResult>((resolve) => {
      const timer = setTimeout(() => {
        // A render past its time (an endless #list): the only sure stop is the JVM itself; the next request starts a new one.
        this.pending.delete(id);
        resolve({
          ok: false,
          error: {
            kind: 'timeout',
            message: `Rendering took longer than ${this.timeoutMs} ms and was stopped (an endless loop?).`,
            line: 0,
            column: 0,
            endLine: 0,
            endColumn: 0,
          },
          ms: this.timeoutMs,
        });
        this.restart();
      }, this.timeoutMs);
      this.pending.set(id, { resolve, started: performance.now(), timer });
      child.stdin.write(`${JSON.stringify({ id, op, name, template, data })}\n`);
    });
  }

  render(name: string, template: string, data: unknown): Promise<RenderResult> {
    return this.send('render', name, template, data);
  }

  parse(name: string, template: string): Promise<RenderResult> {
    return this.send('parse', name, template, {});
  }

  private restart(): void {
    const child = this.process;
    this.process = undefined;
    this.ready = undefined;
    child?.kill('SIGKILL');
  }

  dispose(): void {
    this.failAll({
      kind: 'engine',
      message: 'The FreeMarker worker was shut down.',
      line: 0,
      column: 0,
      endLine: 0,
      endColumn: 0,
    });
    this.restart();
  }
}
