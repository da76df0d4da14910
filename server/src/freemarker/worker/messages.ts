/**
 * The worker's wire protocol, Node's side: the requests it is sent and the answers it gives, typed, and the one
 * place a request line is written and an answer line read. The Java side is server/freemarker/
 * (AmplitudeFreemarkerWorker.java, AmplitudeRequest.java). One JSON object per line each way; the worker's first
 * line introduces it with its protocol version, and a worker of another version is refused (`helloProblem`).
 */

/** Raised with AmplitudeFreemarkerWorker.PROTOCOL on any change to the requests or the answers. */
export const PROTOCOL_VERSION = 2;

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

export type RequestOp = 'render' | 'parse' | 'renderMany';

/** A request as written to the worker. */
export interface WorkerRequest {
  id: number;
  op: RequestOp;
  name: string;
  /** The template's key: the worker keeps the parsed template under it, so the text goes once. */
  key: number;
  /** The template's text, when the worker does not hold it under `key`. */
  template?: string;
  /** The data model (a list of them for renderMany), already serialised as JSON. */
  data: string;
  trace?: boolean;
}

/** The request's line, newline included. */
export function requestLine(request: WorkerRequest): string {
  const trace = request.trace ? ',"trace":true' : '';
  const template = request.template === undefined ? '' : `,"template":${JSON.stringify(request.template)}`;
  const head = `{"id":${request.id},"op":"${request.op}","name":${JSON.stringify(request.name)},"key":${request.key}`;
  return `${head}${trace}${template},"data":${request.data}}\n`;
}

/** 'internal' is a bug in the worker, 'missing-template' a key it does not hold, 'request' a line it refused. */
export type WorkerError = Omit<TemplateError, 'kind'> & {
  kind: TemplateError['kind'] | 'internal' | 'missing-template' | 'skipped' | 'request';
};

/** One render's answer, or a batch's (`outputs`, one per render, in order). */
export interface Answer {
  /** Null when the worker could not read the request's id: it answers in order, so it is the oldest asked. */
  id: number | null;
  ok: boolean;
  output: string;
  outputs?: Answer[];
  printed?: PrintedSpan[];
  error?: WorkerError;
}

/** The worker's first line. */
export interface Hello {
  /** Undefined for a worker built before the handshake. */
  protocol: number | undefined;
  version: string;
}

export type WorkerLine = { hello: Hello } | { answer: Answer };

const SPAN_KINDS = { i: 'interpolation', t: 'text', o: 'other' } as const;
type WireSpan = [number, number, keyof typeof SPAN_KINDS, number, number, number, number];

function printedSpans(printed: WireSpan[]): PrintedSpan[] {
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

type WireAnswer = Omit<Answer, 'id' | 'outputs' | 'printed'> & {
  id?: number | string | null;
  outputs?: WireAnswer[];
  printed?: WireSpan[];
};

function answerOf(wire: WireAnswer): Answer {
  const id = typeof wire.id === 'number' || typeof wire.id === 'string' ? Number(wire.id) : null;
  const answer: Answer = { id, ok: wire.ok === true, output: typeof wire.output === 'string' ? wire.output : '' };
  if (wire.error) answer.error = wire.error;
  if (Array.isArray(wire.outputs)) answer.outputs = wire.outputs.map(answerOf);
  if (Array.isArray(wire.printed)) answer.printed = printedSpans(wire.printed);
  return answer;
}

/** A line from the worker: its hello, an answer, or undefined for a line that is neither. */
export function readWorkerLine(line: string): WorkerLine | undefined {
  let wire: unknown;
  try {
    wire = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof wire !== 'object' || wire === null || Array.isArray(wire)) return undefined;
  const message = wire as WireAnswer & { ready?: unknown; protocol?: unknown; version?: unknown };
  if (message.ready === true) {
    const protocol = typeof message.protocol === 'number' ? message.protocol : undefined;
    return { hello: { protocol, version: typeof message.version === 'string' ? message.version : '' } };
  }
  return typeof message.ok === 'boolean' ? { answer: answerOf(message) } : undefined;
}

/** Why a worker that said `hello` cannot be spoken to (a jar from another build), or undefined. */
export function helloProblem(hello: Hello, workerJar: string): string | undefined {
  if (hello.protocol === PROTOCOL_VERSION) return undefined;
  const spoken =
    hello.protocol === undefined
      ? 'states no protocol version (built before it had one)'
      : `speaks protocol ${hello.protocol}`;
  return (
    `The FreeMarker worker ${workerJar} ${spoken}, and this version of the tools speaks protocol ` +
    `${PROTOCOL_VERSION}: it is a stale build. Run "npm run build:worker" (or reinstall the extension).`
  );
}

export const failure = (kind: TemplateError['kind'], message: string): TemplateError => ({
  kind,
  message,
  line: 0,
  column: 0,
  endLine: 0,
  endColumn: 0,
});

/** The error a user sees: the worker's own kinds ('internal', a refused request, ...) are the engine's. */
export function templateError(error: WorkerError | undefined): TemplateError {
  if (!error) return failure('engine', 'The worker answered no error.');
  const { kind, ...where } = error;
  return { ...where, kind: kind === 'syntax' || kind === 'render' || kind === 'timeout' ? kind : 'engine' };
}
