import * as vscode from 'vscode';
import { mask } from '../../../server/src/base/mask';
import { RunTestRequest, TestPlanRequest, type RunTestAnswer, type TestPlan } from '../../../server/src/protocol';
import type { EndpointTestResult } from '../../../server/src/testing/endpointTest';
import type { ServerApi } from '../serverApi';
import { ResponsePanels } from './panels';
import { askTestChoice, manifestDocument, type TestChoice } from './questions';
import { sendSettings } from './settings';
import { EventReplay } from './replay';
import { SyncSimulation } from './simulate';
import { TestValuesStore } from './valuesStore';

/** The result of "Test Endpoint", in short, for whoever ran the command (automation, tests). */
export interface TestOutcome {
  status?: number;
  failure?: string;
  classification?: string;
  listId?: string | number;
  /** Why nothing was sent. */
  problem?: string;
}

interface LastRun {
  uri: vscode.Uri;
  choice: TestChoice;
}

function outcomeOf(result: EndpointTestResult): TestOutcome {
  return {
    status: result.result.ok ? result.result.status : undefined,
    failure: result.result.ok ? undefined : result.result.message,
    classification: result.classification
      ? `${result.classification.kind}: ${result.classification.failureReason}`
      : undefined,
    listId: result.listId?.ok ? result.listId.listId : undefined,
  };
}

/**
 * Test Endpoint, Show Request, Simulate and Clear Test Values. The client asks the user and shows the
 * answer; the language server builds, sends and classifies (one runner for every kind of manifest).
 */
export class TestEndpointFeature {
  private readonly store: TestValuesStore;
  private readonly panels: ResponsePanels;
  private readonly lastRuns = new Map<string, LastRun>();
  private readonly listIds = new Map<string, string | number>();

  constructor(
    context: vscode.ExtensionContext,
    private readonly output: vscode.LogOutputChannel,
    private readonly api: ServerApi,
  ) {
    this.store = new TestValuesStore(context.secrets, context.globalState);
    this.panels = new ResponsePanels((key) => this.rerun(key));
    const simulation = new SyncSimulation(api, this.store, output);
    const replay = new EventReplay(api, this.store, output);
    type Variables = Record<string, string> | undefined;
    context.subscriptions.push(
      vscode.commands.registerCommand(
        'amplitude.testEndpoint',
        (uri?: vscode.Uri | string, name?: string, values?: Variables) => this.test(uri, name, values, false),
      ),
      vscode.commands.registerCommand(
        'amplitude.showRequest',
        (uri?: vscode.Uri | string, name?: string, values?: Variables) => this.test(uri, name, values, true),
      ),
      vscode.commands.registerCommand('amplitude.simulateSync', (uri?: vscode.Uri | string) => simulation.run(uri)),
      vscode.commands.registerCommand(
        'amplitude.replayEvents',
        (uri?: vscode.Uri | string, count?: number, values?: Variables) => replay.run(uri, count, values),
      ),
      vscode.commands.registerCommand('amplitude.clearTestValues', (uri?: vscode.Uri) => this.clear(uri)),
    );
  }

  private async plan(document: vscode.TextDocument): Promise<TestPlan | undefined> {
    const plan = await this.api.request(TestPlanRequest, { uri: document.uri.toString() });
    if (plan.problem) void vscode.window.showErrorMessage(plan.problem);
    else if (plan.tests.length === 0) void vscode.window.showInformationMessage('This manifest has nothing to test.');
    return plan.problem || plan.tests.length === 0 ? undefined : plan;
  }

  /**
   * `values`: test values given by the caller (automation, tests) instead of the stored ones; `dryRun`: Show
   * Request, nothing sent. Resolves with what the panel shows, in short.
   */
  async test(
    uri: vscode.Uri | string | undefined,
    name: string | undefined,
    values: Record<string, string> | undefined,
    dryRun: boolean,
  ) {
    const document = await manifestDocument(uri);
    const plan = document && (await this.plan(document));
    if (!document || !plan) return undefined;
    const listId = this.listIds.get(document.uri.toString());
    const choice = await askTestChoice(document, plan, this.store, { name, values, listId });
    if (!choice) return undefined;
    return this.run(document.uri, choice, dryRun);
  }

  private async run(uri: vscode.Uri, choice: TestChoice, dryRun: boolean): Promise<TestOutcome> {
    const key = `${uri.toString()}#${choice.name}`;
    this.lastRuns.set(key, { uri, choice });
    const params = { uri: uri.toString(), ...choice, send: sendSettings(), dryRun };
    const title = `${dryRun ? 'Request' : 'Testing'} ${choice.name}…`;
    const answer: RunTestAnswer = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      (_progress, token) => this.api.request(RunTestRequest, params, token),
    );
    if (answer.problem) {
      void vscode.window.showErrorMessage(mask(answer.problem, Object.values(choice.values)));
      return { problem: answer.problem };
    }
    const name = vscode.workspace.asRelativePath(uri);
    if (answer.planned?.[0]) {
      this.panels.show(key, { title: `Request ${choice.name}: ${name}`, request: answer.planned[0], batches: 1 });
      return {};
    }
    const result = answer.result as EndpointTestResult;
    if (result.listId?.ok) this.listIds.set(uri.toString(), result.listId.listId);
    this.log(result);
    this.panels.show(key, {
      title: `Test ${choice.name}: ${name}`,
      ...result,
      delivery: result.delivery ?? (result.cohortRetry && { text: result.cohortRetry.text, lines: [] }),
    });
    return outcomeOf(result);
  }

  private rerun(key: string): Thenable<unknown> {
    const last = this.lastRuns.get(key);
    return last ? this.run(last.uri, last.choice, false) : Promise.resolve();
  }

  private log(r: EndpointTestResult): void {
    const outcome = r.result.ok
      ? `${r.result.status} ${r.result.statusText} in ${r.result.timing.totalMs.toFixed(0)} ms`
      : r.result.message;
    const classified = r.classification ? ` (${r.classification.failureReason})` : '';
    this.output.appendLine(
      mask(`[test] ${r.request.method} ${r.request.url} -> ${outcome}${classified}`, r.request.secrets),
    );
  }

  async clear(uri?: vscode.Uri): Promise<void> {
    const document = await manifestDocument(uri);
    if (!document) return;
    const plan = await this.api.request(TestPlanRequest, { uri: document.uri.toString() });
    const cleared = await this.store.clear(document.uri, plan.needs);
    this.listIds.delete(document.uri.toString());
    if (cleared) void vscode.window.showInformationMessage('Test values cleared for this manifest.');
  }
}
