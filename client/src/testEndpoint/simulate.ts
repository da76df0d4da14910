import * as vscode from 'vscode';
import { mask } from '../../../server/src/base/mask';
import { SimulateRequest, TestPlanRequest, type SimulateParams } from '../../../server/src/protocol';
import type { SyncSummary } from '../../../server/src/testing/simulate';
import type { ServerApi } from '../serverApi';
import { withServerProgress } from './progress';
import { manifestDocument } from './questions';
import { sendSettings } from './settings';
import { secretValuesOf, type TestValuesStore } from './valuesStore';

type Users = SimulateParams['users'];

async function askUsers(): Promise<Users | undefined> {
  const source = await vscode.window.showQuickPick(
    [
      { label: 'Generated users', description: 'a number of users with generated ids', csv: false },
      {
        label: 'Users from a CSV file…',
        description: "the portal's format: operation,user_id_field_amplitude,amp_cohort_name,amp_cohort_id",
        csv: true,
      },
    ],
    { title: 'Simulate a cohort sync: which users?' },
  );
  if (!source) return undefined;
  if (source.csv) {
    const picked = await vscode.window.showOpenDialog({
      filters: { CSV: ['csv'] },
      canSelectMany: false,
      openLabel: 'Use these users',
    });
    return picked?.[0] ? { csvFile: picked[0].fsPath } : undefined;
  }
  const count = await vscode.window.showInputBox({
    title: 'Simulate a cohort sync',
    prompt: 'Users to add (10% of them are removed afterwards)',
    value: '25000',
    validateInput: (v) => (/^\d+$/.test(v) ? undefined : 'A whole number'),
  });
  return count === undefined ? undefined : { count: Number(count), remove: Math.floor(Number(count) / 10) };
}

function summaryLine(summary: SyncSummary): string {
  const statuses = Object.entries(summary.statusCounts)
    .map(([k, v]) => `${k}×${v}`)
    .join(', ');
  const stopped = summary.problem ? `. Stopped: ${summary.problem}` : '';
  const verified = summary.verification ? `. ${summary.verification.message}` : '';
  return (
    `Sync simulated: ${summary.requests} requests (${statuses}), p95 ` +
    `${summary.latencyMs.p95.toFixed(0)} ms${stopped}${verified}`
  );
}

/** "Amplitude: Simulate Cohort Sync": the server runs the whole sync; progress and a summary come back. */
export class SyncSimulation {
  constructor(
    private readonly api: ServerApi,
    private readonly store: TestValuesStore,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  async run(uri?: vscode.Uri | string): Promise<SyncSummary | undefined> {
    const document = await manifestDocument(uri);
    if (!document) return undefined;
    const plan = await this.api.request(TestPlanRequest, { uri: document.uri.toString() });
    if (plan.kind !== 'cohort-list' && plan.kind !== 'cohort-property') {
      void vscode.window.showInformationMessage(
        'Simulating a sync needs a cohort manifest (cohort-list or cohort-property).',
      );
      return undefined;
    }
    const users = await askUsers();
    const values = users && (await this.store.valuesFor(document.uri, plan.needs));
    if (!users || !values) return undefined;
    const title = 'Simulating cohort sync';
    const answer = await withServerProgress(this.api, title, 'requests', (progressToken, token) => {
      const params: SimulateParams = {
        uri: document.uri.toString(),
        values,
        users,
        send: sendSettings(),
        progressToken,
      };
      return this.api.request(SimulateRequest, params, token);
    });
    return this.report(
      answer.summary,
      mask(answer.problem ?? '', secretValuesOf(plan.needs, values)),
      answer.secrets ?? [],
    );
  }

  private report(summary: SyncSummary | undefined, problem: string, secrets: string[]): SyncSummary | undefined {
    if (!summary) {
      void vscode.window.showErrorMessage(`Simulation failed: ${problem}`);
      return undefined;
    }
    const line = mask(summaryLine(summary), secrets);
    this.output.appendLine(`[simulate] ${line}`);
    for (const [reason, n] of Object.entries(summary.classified))
      this.output.appendLine(`[simulate]   classified error ${reason} ×${n}`);
    for (const difference of summary.verification?.differences ?? [])
      this.output.appendLine(`[simulate]   ${difference}`);
    const bad = summary.problem || summary.failed > 0 || summary.verification?.status === 'mismatch';
    const show = bad ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    void show(line, 'Show details').then((pick) => pick && this.output.show());
    return summary;
  }
}
