import { spawn, type ChildProcessWithoutNullStreams } from 'child_process';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { SERVER_EXEC_ARGV, type Request } from '../../server/src/protocol';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  InitializeRequest,
  InitializedNotification,
  DidOpenTextDocumentNotification,
  DidChangeTextDocumentNotification,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  ExitNotification,
  type ProtocolConnection,
  type Diagnostic,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';

export const REPO = path.resolve(__dirname, '..', '..', '..');
export const SERVER = path.join(REPO, 'dist', 'server.js');

export function fileUri(file: string): string {
  return pathToFileURL(file).toString();
}

/** A real language client: spawns `node dist/server.js --stdio` (with the Node options VS Code's client gives it) and speaks LSP to it. */
export interface ClientOptions {
  /** Claim codeAction/resolve for edits, as VS Code does. */
  codeActionResolve?: boolean;
  /** Claim workspace folder change notifications, as VS Code does. */
  workspaceFolders?: boolean;
  /** What the extension sends as initializationOptions: `{ amplitude: settings }`. */
  initializationOptions?: unknown;
}

export class LspTestClient {
  readonly connection: ProtocolConnection;
  readonly process: ChildProcessWithoutNullStreams;
  private readonly versions = new Map<string, number>();
  private readonly latest = new Map<string, PublishDiagnosticsParams>();
  private readonly listeners = new Set<(params: PublishDiagnosticsParams) => void>();
  private readonly waiters: { uri: string; version?: number; resolve: (d: Diagnostic[]) => void }[] = [];
  stderr = '';
  exited: number | null | undefined;

  /**
   * `itemDefaults`: claim LSP 3.17 completion item defaults, as VS Code does; `capabilities.codeActionResolve`:
   * claim codeAction/resolve for edits, as VS Code does.
   */
  constructor(
    workspaceFolder: string = REPO,
    private readonly itemDefaults = true,
    private readonly capabilities: ClientOptions = {},
  ) {
    this.process = spawn(process.execPath, [...SERVER_EXEC_ARGV, SERVER, '--stdio'], { stdio: 'pipe' });
    this.process.stderr.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    this.process.on('exit', (code) => {
      this.exited = code;
    });
    this.connection = createProtocolConnection(
      new StreamMessageReader(this.process.stdout),
      new StreamMessageWriter(this.process.stdin),
    );
    // One handler per method in vscode-jsonrpc: every other listener hangs off this one.
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.latest.set(params.uri, params);
      for (const listener of [...this.listeners]) listener(params);
      for (let i = this.waiters.length - 1; i >= 0; i--) {
        const waiter = this.waiters[i];
        if (waiter.uri === params.uri && (waiter.version === undefined || params.version === waiter.version)) {
          this.waiters.splice(i, 1);
          waiter.resolve(params.diagnostics);
        }
      }
    });
    this.connection.listen();
    this.workspaceFolder = workspaceFolder;
  }

  private readonly workspaceFolder: string;

  async initialize(): Promise<void> {
    await this.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: fileUri(this.workspaceFolder),
      workspaceFolders: [{ uri: fileUri(this.workspaceFolder), name: 'workspace' }],
      initializationOptions: this.capabilities.initializationOptions,
      capabilities: {
        workspace: { workspaceFolders: this.capabilities.workspaceFolders === true },
        textDocument: {
          completion: {
            completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] },
            completionList: { itemDefaults: this.itemDefaults ? ['editRange'] : [] },
          },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          rename: { prepareSupport: true },
          codeAction: this.capabilities.codeActionResolve
            ? { resolveSupport: { properties: ['edit'] }, dataSupport: true }
            : undefined,
        },
      },
    });
    await this.connection.sendNotification(InitializedNotification.type, {});
  }

  /** Opens a document and resolves with the diagnostics of that exact version. */
  open(uri: string, text: string): Promise<Diagnostic[]> {
    this.versions.set(uri, 1);
    const diagnostics = this.diagnosticsFor(uri, 1);
    void this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'amplitude-manifest', version: 1, text },
    });
    return diagnostics;
  }

  /** Replaces the whole text and resolves with the diagnostics of the new version. */
  change(uri: string, text: string): Promise<Diagnostic[]> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    const diagnostics = this.diagnosticsFor(uri, version);
    void this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [{ text }],
    });
    return diagnostics;
  }

  /** An incremental edit, as an editor sends it: replaces `range` with `text`; resolves with the new version's diagnostics. */
  edit(
    uri: string,
    range: { start: { line: number; character: number }; end: { line: number; character: number } },
    text: string,
  ): Promise<Diagnostic[]> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    const diagnostics = this.diagnosticsFor(uri, version);
    void this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [{ range, text }],
    });
    return diagnostics;
  }

  /** Sends a change without waiting for its diagnostics (a burst of edits). */
  changeNoWait(uri: string, text: string): number {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    void this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [{ text }],
    });
    return version;
  }

  /** The first published diagnostics of `uri` (the latest, or a later one) that satisfy `accept`. */
  diagnosticsMatching(uri: string, accept: (d: Diagnostic[]) => boolean, timeoutMs = 20_000): Promise<Diagnostic[]> {
    const latest = this.latest.get(uri);
    if (latest && accept(latest.diagnostics)) return Promise.resolve(latest.diagnostics);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        const last = JSON.stringify(this.latest.get(uri)?.diagnostics.map((d) => d.code));
        reject(new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms; last: ${last}`));
      }, timeoutMs);
      const listener = (params: PublishDiagnosticsParams) => {
        if (params.uri === uri && accept(params.diagnostics)) {
          clearTimeout(timer);
          this.listeners.delete(listener);
          resolve(params.diagnostics);
        }
      };
      this.listeners.add(listener);
    });
  }

  /** Calls `listener` with every diagnostics publication from now on, until the returned function is called. */
  onDiagnostics(listener: (params: PublishDiagnosticsParams) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** One of our own requests (server/src/protocol.ts), typed. */
  request<P, R>(request: Request<P, R>, params: P): Promise<R> {
    return this.connection.sendRequest<R>(request.method, params);
  }

  diagnosticsFor(uri: string, version?: number): Promise<Diagnostic[]> {
    return new Promise((resolve) => this.waiters.push({ uri, version, resolve }));
  }

  async stop(): Promise<void> {
    try {
      if (this.exited === undefined) {
        await this.connection.sendRequest(ShutdownRequest.type);
        await this.connection.sendNotification(ExitNotification.type);
      }
    } catch {
      // the process is already gone
    } finally {
      this.connection.dispose();
      if (this.exited === undefined) this.process.kill();
    }
  }
}
