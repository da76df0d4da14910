import * as vscode from 'vscode';
import { mask } from '../../../server/src/base/mask';
import { ReplayRequest, TestPlanRequest, type ReplayAnswer } from '../../../server/src/protocol';
import type { ServerApi } from '../serverApi';
import { withServerProgress } from './progress';
import { manifestDocument } from './questions';
import { sendSettings } from './settings';
import { secretValuesOf, type TestValuesStore } from './valuesStore';

/**
 * "Amplitude: Replay Events": N events through the real template to the partner's API (or the mock the
 * settings name), with Amplitude's retries and drops; the server runs it, progress and a report come back.
 */
export class EventReplay {
  constructor(
    private readonly api: ServerApi,
    private readonly store: TestValuesStore,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  /** `count` and `values` given by the caller (automation, tests) instead of asked. */
  async run(
    uri?: vscode.Uri | string,
    count?: number,
    given?: Record<string, string>,
  ): Promise<ReplayAnswer | undefined> {
    const document = await manifestDocument(uri);
    if (!document) return undefined;
    const plan = await this.api.request(TestPlanRequest, { uri: document.uri.toString() });
    if (plan.kind !== 'event-streaming') {
      void vscode.window.showInformationMessage('Replaying events needs an event streaming manifest.');
      return undefined;
    }
    const events = count ?? (await askCount());
    const values = events && (given ?? (await this.store.valuesFor(document.uri, plan.needs)));
    if (!events || !values) return undefined;
    const answer = await withServerProgress(this.api, 'Replaying events', 'events', (progressToken, token) => {
      const params = { uri: document.uri.toString(), values, count: events, send: sendSettings(), progressToken };
      return this.api.request(ReplayRequest, params, token);
    });
    this.show(answer, [...secretValuesOf(plan.needs, values), ...(answer.secrets ?? [])]);
    return answer;
  }

  private show(answer: ReplayAnswer, secrets: string[]): void {
    const hide = (text: string) => mask(text, secrets);
    const r = answer.report;
    if (!r) {
      void vscode.window.showErrorMessage(`Replay failed: ${hide(answer.problem ?? 'no report')}`);
      return;
    }
    const line =
      `Replayed ${r.events} events: ${r.delivered} delivered (${r.retriedDelivered} after retries), ` +
      `${r.dropped} dropped, ${r.renderFailures} render failures, ${r.limitBreaks} over your limits; ` +
      `${r.eventsPerSecond.toFixed(0)}/s, p95 ${r.latencyMs.p95.toFixed(0)} ms`;
    this.output.appendLine(`[replay] ${line}`);
    for (const retry of r.retries) this.output.appendLine(hide(`[replay]   ${retry.text}`));
    for (const [reason, n] of Object.entries(r.droppedByReason))
      this.output.appendLine(`[replay]   dropped ×${n}: ${reason}`);
    for (const p of r.problems) {
      this.output.appendLine(hide(`[replay]   event ${p.index + 1} ${p.kind}: ${p.message}`));
      this.output.appendLine(hide(`[replay]     event: ${p.event}`));
      if (p.body !== undefined) this.output.appendLine(hide(`[replay]     body: ${p.body}`));
    }
    if (answer.verification) this.output.appendLine(`[replay]   ${answer.verification.message}`);
    if (r.gaveUp) {
      this.output.appendLine(hide(`[replay]   ${r.gaveUp}`));
      void vscode.window
        .showErrorMessage(hide(`Replay stopped after ${r.events} events. ${r.gaveUp}`), 'Show details')
        .then((pick) => pick && this.output.show());
      return;
    }
    const bad = r.dropped > 0 || r.renderFailures > 0 || answer.verification?.status === 'mismatch';
    const notify = bad ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    void notify(line, 'Show details').then((pick) => pick && this.output.show());
  }
}

async function askCount(): Promise<number | undefined> {
  const count = await vscode.window.showInputBox({
    title: 'Replay events',
    prompt: 'Events to send (generated like the Braze Currents events Amplitude receives)',
    value: '1000',
    validateInput: (v) => (/^\d+$/.test(v) && Number(v) > 0 ? undefined : 'A whole number above 0'),
  });
  return count === undefined ? undefined : Number(count);
}
