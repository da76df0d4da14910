import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { Notification, Request } from '../../server/src/protocol';

/** The language server's own requests (server/src/protocol.ts), typed: the client asks, the server analyses. */
export class ServerApi {
  constructor(private readonly client: LanguageClient) {}

  request<P, R>(request: Request<P, R>, params: P, token?: vscode.CancellationToken): Promise<R> {
    return this.client.sendRequest<R>(request.method, params, token);
  }

  onNotification<P>(notification: Notification<P>, handler: (params: P) => void): vscode.Disposable {
    return this.client.onNotification(notification.method, handler);
  }
}
