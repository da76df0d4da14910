import { randomBytes } from 'crypto';
import * as vscode from 'vscode';
import { SimulateProgressNotification } from '../../../server/src/protocol';
import type { ServerApi } from '../serverApi';

/**
 * A long server run (a simulation, a replay) under a cancellable progress notification: the server reports
 * `done of total` under a fresh token, shown as "N of M <unit>".
 */
export function withServerProgress<T>(
  api: ServerApi,
  title: string,
  unit: string,
  run: (progressToken: string, token: vscode.CancellationToken) => Promise<T>,
): Thenable<T> {
  const progressToken = randomBytes(8).toString('hex');
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    async (progress, token) => {
      let last = 0;
      const listener = api.onNotification(SimulateProgressNotification, (p) => {
        if (p.token !== progressToken) return;
        progress.report({ increment: ((p.done - last) / p.total) * 100, message: `${p.done} of ${p.total} ${unit}` });
        last = p.done;
      });
      try {
        return await run(progressToken, token);
      } finally {
        listener.dispose();
      }
    },
  );
}
