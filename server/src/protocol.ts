import type { Range } from 'vscode-languageserver-types';
import type { JSONPath } from 'jsonc-parser';
import type { PreviewModel } from './preview/model';

/** Requests of ours on top of LSP, shared by the server and the client. */
export const VARIABLES_REQUEST = 'amplitude/variables';

/** What the preview panel shows for a manifest, from the analysis the server already holds. */
export const PREVIEW_REQUEST = 'amplitude/preview';

export interface PreviewParams {
  uri: string;
}

export interface PreviewAnswer {
  model: PreviewModel;
  /** The manifest does not parse or names no kind: the panel keeps its last good model under a banner. */
  broken: boolean;
  /** "Line N: message" for the first errors, for that banner. */
  errors: string[];
}

/** Where the value at a JSON path is (click-to-reveal in the preview). */
export const LOCATE_REQUEST = 'amplitude/locate';

export interface LocateParams {
  uri: string;
  path: JSONPath;
}

export type LocateAnswer = Range | null;

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
