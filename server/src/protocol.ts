import type { Range } from 'vscode-languageserver-types';
import type { JSONPath } from 'jsonc-parser';
import type { ManifestKind } from './manifest/model';
import type { VariablesTable } from './manifest/variablesTable';
import type { PortalSheet } from './portal/sheet';
import type { PreviewModel } from './preview/model';
import type { EndpointTestResult } from './testing/endpointTest';
import type { BuiltRequest } from './testing/request';
import type { ReplayReport } from './testing/streaming/replay';
import type { SyncSummary } from './testing/cohort/simulate';
import type { ScheduleReport } from './testing/cohort/schedule';

/**
 * Requests of ours on top of LSP, shared by the server and the client: each a typed object, so a
 * request and its answer cannot drift apart. This file holds types and method names only: the server and
 * the client use different copies of the LSP libraries, so nothing here is theirs.
 */

/** A request: its method, with its parameter and answer types. */
export interface Request<P, R> {
  readonly method: string;
  /** Types only, never set. */
  readonly params?: P;
  readonly result?: R;
}

/** A notification: its method, with its parameter type. */
export interface Notification<P> {
  readonly method: string;
  readonly params?: P;
}

const request = <P, R>(method: string): Request<P, R> => ({ method });
const notification = <P>(method: string): Notification<P> => ({ method });

export interface UriParams {
  uri: string;
}

/** The portal's DECLARED / USED / PRE-DEFINED table for a manifest. */
export const VariablesRequest = request<UriParams, VariablesTable | null>('amplitude/variables');

export interface PreviewAnswer {
  model: PreviewModel;
  /** The manifest does not parse or names no kind: the panel keeps its last good model under a banner. */
  broken: boolean;
  /** "Line N: message" for the first errors, for that banner. */
  errors: string[];
  /** Each image reference the workspace rules allow, to its file path (the panel turns them into webview URIs). */
  images: Record<string, string>;
}

/** What the preview panel shows for a manifest, from the analysis the server already holds. */
export const PreviewRequest = request<UriParams, PreviewAnswer | null>('amplitude/preview');

export interface LocateParams extends UriParams {
  path: JSONPath;
}

/** Where the value at a JSON path is (click-to-reveal in the preview). */
export const LocateRequest = request<LocateParams, Range | null>('amplitude/locate');

export interface RenderTemplateParams extends UriParams {
  /** A sample event's name; or an event file the user picked (`*.event.json`), read by the server. */
  sample?: string;
  eventFile?: string;
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

/** A body template rendered by the server's FreeMarker worker for a sample event. */
export const RenderTemplateRequest = request<RenderTemplateParams, RenderTemplateResult>('amplitude/renderTemplate');

/** A value a test needs from the user, with how to keep it. */
export interface NeededValue {
  name: string;
  displayName: string;
  /** Kept in SecretStorage and masked everywhere. */
  secret: boolean;
}

/** What testing a manifest involves, for the client to ask the user the right questions. */
export interface TestPlan {
  kind: string | undefined;
  /** The tests on offer: endpoint names, or `events`. */
  tests: string[];
  needs: NeededValue[];
  hasListCreation: boolean;
  /** The update call uses $amp_cohort_membership: ask whether users entered or left. */
  usesMembership: boolean;
  /** Sample event names (event streaming). */
  samples: string[];
  /** Why nothing can be tested (the manifest does not parse), if so. */
  problem?: string;
}

export const TestPlanRequest = request<UriParams, TestPlan>('amplitude/testPlan');

/** Test Endpoint's settings, from the client's configuration. */
export interface SendSettings {
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  totalTimeoutMs: number;
  maxResponseBytes: number;
  /** Send to this origin instead of the manifest's (the bundled mock); path and query are kept. */
  target?: string;
  ingestionEndpoint?: string;
}

export interface RunTestParams extends UriParams {
  name: string;
  values: Record<string, string>;
  listId?: string | number;
  membership?: boolean;
  sample?: string;
  send: SendSettings;
  /** Show the exact request, masked, and send nothing. */
  dryRun?: boolean;
}

export interface RunTestAnswer {
  /** The outcome, when the request was sent. */
  result?: EndpointTestResult;
  /** The requests, when it was a dry run (secrets still in them: mask with `secrets` before showing). */
  planned?: BuiltRequest[];
  /** Why nothing was sent (a missing value, a template that does not render). */
  problem?: string;
}

/** One test of any kind (cohort endpoint, streaming event, source batch), run by the server. Cancellable. */
export const RunTestRequest = request<RunTestParams, RunTestAnswer>('amplitude/runTest');

export interface SimulateParams extends UriParams {
  values: Record<string, string>;
  /** Generated users, or a CSV in the portal's format that the user picked (read by the server). */
  users: { count: number; remove: number } | { csvFile: string };
  send: SendSettings;
  /** Reported with each amplitude/simulateProgress notification. */
  progressToken: string;
  /** Several syncs (a full one, then deltas with `churn` users in and out) of several cohorts; generated users. */
  schedule?: { syncs: number; cohorts: number; churn: number; seed?: number };
  /** Amplitude's retry waits multiplied by this (default 0.001). */
  timeScale?: number;
}

export interface SimulateAnswer {
  summary?: SyncSummary;
  /** The syncs of a schedule, when one was asked for. */
  schedule?: ScheduleReport;
  /** Secrets of the sync's requests, to mask anything shown. */
  secrets?: string[];
  problem?: string;
}

/** A whole cohort sync, run by the server. Cancellable; progress comes as notifications. */
export const SimulateRequest = request<SimulateParams, SimulateAnswer>('amplitude/simulate');

export interface SimulateProgress {
  token: string;
  done: number;
  total: number;
}

export const SimulateProgressNotification = notification<SimulateProgress>('amplitude/simulateProgress');

/** Node options the server is started with (why: server/src/lsp/heapPolicy.ts). */
export const SERVER_EXEC_ARGV: readonly string[] = ['--max-semi-space-size=8'];

export interface PortalSheetParams extends UriParams {
  /** Test values (not secrets) to show in the sheet's "values for the portal's test" section. */
  values?: Record<string, string>;
}

/** Everything to enter in the Integration Portal for a manifest, in the order of its form. */
export const PortalSheetRequest = request<PortalSheetParams, PortalSheet | null>('amplitude/portalSheet');

export interface ImportParams {
  /** The portal editor's payload or item template text, or a cURL command. */
  text: string;
  what: 'payload' | 'itemTemplate' | 'curl';
  kind?: ManifestKind;
  endpoint?: string;
}

export type ImportAnswer =
  { ok: true; fragment: Record<string, unknown>; notes: string[]; template?: string } | { ok: false; problem: string };

/** The portal's text (a payload or a cURL command) as a manifest fragment. */
export const ImportRequest = request<ImportParams, ImportAnswer>('amplitude/import');

export interface DiffParams extends UriParams {
  /** A git revision (tag, branch, commit); undefined: the newest tag. */
  base?: string;
}

export interface DiffChange {
  impact: 'breaking' | 'risky' | 'safe';
  message: string;
  range: Range;
}

export type DiffAnswer =
  | { ok: true; base: string; baseText: string; changes: DiffChange[]; tags: string[] }
  | { ok: false; problem: string; tags: string[] };

/** The manifest compared with a release: each change classified for customers already using it. */
export const DiffRequest = request<DiffParams, DiffAnswer>('amplitude/diff');

export interface ReplayParams extends UriParams {
  values: Record<string, string>;
  count: number;
  send: SendSettings;
  /** Reported with each amplitude/simulateProgress notification. */
  progressToken: string;
}

export interface ReplayAnswer {
  report?: ReplayReport;
  verification?: { status: string; message: string; differences: string[] };
  secrets?: string[];
  problem?: string;
}

/** A stream replay of an event streaming manifest, run by the server. Cancellable; progress as for Simulate. */
export const ReplayRequest = request<ReplayParams, ReplayAnswer>('amplitude/replay');
