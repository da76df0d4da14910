import type { CancellationToken, Connection, TextDocuments } from 'vscode-languageserver/node';
import { ErrorCodes, ResponseError } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { RenameRefusal } from '../language/navigation/variables';
import type { Notification, Request } from '../protocol';
import type { TemplateService } from '../templates/templateService';
import type { ManifestLanguageService, ManifestText } from './manifestLanguageService';
import type { TemplateLanguageService } from './templateLanguageService';
import type { WorkspaceState } from './workspace';

/** What the client said it can do, at initialize. */
export interface ClientCapabilities {
  itemDefaults: boolean;
  codeActionResolve: boolean;
  workspaceFolders: boolean;
}

/** Everything a handler module needs: the connection, the open documents, the workspace and the services. */
export interface ServerContext {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  workspace: WorkspaceState;
  manifests: ManifestLanguageService;
  templates: TemplateService;
  templateFeatures: TemplateLanguageService;
  client: ClientCapabilities;
}

export const isTemplate = (uri: string): boolean => uri.endsWith('.ftl');

export function textOf(context: ServerContext, uri: string): ManifestText | undefined {
  const document = context.documents.get(uri);
  return document ? { uri, version: document.version, text: document.getText() } : undefined;
}

export function describe(error: unknown): string {
  return error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
}

/** Every request gets an answer: a failing feature logs and answers `fallback` rather than leave the client waiting. */
export function guarded<P, R>(
  context: ServerContext,
  name: string,
  fallback: R,
  handler: (params: P, token: CancellationToken) => R | Promise<R>,
): (params: P, token: CancellationToken) => Promise<R> {
  return async (params, token) => {
    try {
      return await handler(params, token);
    } catch (error) {
      if (error instanceof RenameRefusal) throw new ResponseError(ErrorCodes.InvalidRequest, error.message);
      // A refusal the handler worded for the client (bad parameters): answered as it is.
      if (error instanceof ResponseError) throw error;
      context.connection.console.error(`${name} failed: ${describe(error)}`);
      return fallback;
    }
  };
}

/** Answers one of our requests (protocol.ts) with `handler`, guarded. */
export function handle<P, R>(
  context: ServerContext,
  request: Request<P, R>,
  fallback: R,
  handler: (params: P, token: CancellationToken) => R | Promise<R>,
): void {
  context.connection.onRequest(request.method, guarded(context, request.method, fallback, handler));
}

export function notify<P>(context: ServerContext, notification: Notification<P>, params: P): void {
  void context.connection.sendNotification(notification.method, params);
}

/** An AbortSignal that follows an LSP cancellation token. */
export function abortSignalOf(token: CancellationToken): AbortSignal {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  else token.onCancellationRequested(() => controller.abort());
  return controller.signal;
}
