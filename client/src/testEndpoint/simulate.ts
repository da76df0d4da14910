import * as vscode from 'vscode';
import { mask } from '../../../server/src/base/mask';
import { SimulateRequest, TestPlanRequest, type SimulateParams } from '../../../server/src/protocol';
import type { SyncSummary } from '../../../server/src/testing/cohort/simulate';
import type { ScheduleReport } from '../../../server/src/testing/cohort/schedule';
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

type Schedule = SimulateParams['schedule'];

/** Generated users only: how many syncs (a full one, then deltas) of how many cohorts; 1 and 1 is one sync. */
async function askSchedule(): Promise<Schedule | null> {
  const whole = (v: string) => (/^[1-9]\d*$/.test(v.trim()) ? undefined : 'A whole number from 1');
  const syncs = await vscode.window.showInputBox({
    title: 'Simulate a cohort sync',
    prompt: 'Syncs as Amplitude schedules them: 1 full sync, then delta syncs (10% of users leave, as many enter)',
    value: '1',
    validateInput: whole,
  });
  if (syncs === undefined) return null;
  const cohorts = await vscode.window.showInputBox({
    title: 'Simulate a cohort sync',
    prompt: 'Cohorts synced to this destination (each its own list or property)',
    value: '1',
    validateInput: whole,
  });
  if (cohorts === undefined) return null;
  if (Number(syncs) === 1 && Number(cohorts) === 1) return undefined;
  return { syncs: Number(syncs), cohorts: Number(cohorts), churn: 0.1 };
}

/** A schedule in the output channel: one block per sync, each cohort's line and the end state after it. */
function scheduleLines(report: ScheduleReport): string[] {
  const lines = report.overwrite ? [`warning: ${report.overwrite}`] : [];
  for (const sync of report.syncs) {
    lines.push(`sync ${sync.sync} (${sync.kind})`);
    for (const { cohort, summary } of sync.cohorts) lines.push(`  ${cohort}: ${summaryLine(summary)}`);
    if (sync.verification) lines.push(`  after sync ${sync.sync}: ${sync.verification.message}`);
    for (const difference of sync.verification?.differences ?? []) lines.push(`    ${difference}`);
  }
  return lines;
}

function summaryLine(summary: SyncSummary): string {
  const statuses = Object.entries(summary.statusCounts)
    .map(([k, v]) => `${k}×${v}`)
    .join(', ');
  const stopped = summary.problem ? `. Stopped: ${summary.problem}` : '';
  const retries = summary.retries ? `, ${summary.retries} retries on Amplitude's schedule` : '';
  const verified = summary.verification ? `. ${summary.verification.message}` : '';
  return (
    `Sync simulated: ${summary.requests} requests (${statuses}), p95 ` +
    `${summary.latencyMs.p95.toFixed(0)} ms${retries}${stopped}${verified}`
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
    const schedule = users && !('csvFile' in users) ? await askSchedule() : undefined;
    const values = users && schedule !== null && (await this.store.valuesFor(document.uri, plan.needs));
    if (!users || schedule === null || !values) return undefined;
    const title = 'Simulating cohort sync';
    const answer = await withServerProgress(this.api, title, 'requests', (progressToken, token) => {
      const params: SimulateParams = {
        uri: document.uri.toString(),
        values,
        users,
        send: sendSettings(),
        progressToken,
        schedule,
      };
      return this.api.request(SimulateRequest, params, token);
    });
    if (answer.schedule) return this.reportSchedule(answer.schedule, answer.secrets ?? []);
    return this.report(
      answer.summary,
      mask(answer.problem ?? '', secretValuesOf(plan.needs, values)),
      answer.secrets ?? [],
    );
  }

  private reportSchedule(report: ScheduleReport, secrets: string[]): SyncSummary | undefined {
    for (const line of scheduleLines(report)) this.output.appendLine(`[simulate] ${mask(line, secrets)}`);
    const bad = report.syncs.some(
      (s) => s.verification?.status === 'mismatch' || s.cohorts.some((c) => c.summary.problem || c.summary.failed > 0),
    );
    const verified = report.syncs.filter((s) => s.verification?.status === 'verified').length;
    const line =
      `${report.syncs.length} syncs simulated, end state verified after ${verified}` +
      (report.overwrite ? '; cohorts overwrite one another' : '');
    const show = bad || report.overwrite ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    void show(mask(line, secrets), 'Show details').then((pick) => pick && this.output.show());
    return report.syncs.at(-1)?.cohorts[0]?.summary;
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
