/** Requests of ours on top of LSP, shared by the server and the client. */
export const VARIABLES_REQUEST = 'amplitude/variables';

export interface VariablesParams {
  uri: string;
}

export const RENDER_TEMPLATE_REQUEST = 'amplitude/renderTemplate';

export interface RenderTemplateParams {
  uri: string;
  /** A sample event's name, or an event (Amplitude export shape) of the partner's own. */
  sample?: string;
  event?: Record<string, unknown>;
  parameters?: Record<string, string>;
}

export interface RenderTemplateResult {
  ok: boolean;
  output?: string;
  error?: { message: string; line: number; column: number };
  engineVersion?: string;
  ms: number;
  samples: string[];
}

/** Node options the server is started with (why: server/src/heapPolicy.ts). */
export const SERVER_EXEC_ARGV: readonly string[] = ['--max-semi-space-size=8'];
