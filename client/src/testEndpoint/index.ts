import { randomBytes } from 'crypto';
import * as vscode from 'vscode';
import { analyzeManifest, type ManifestAnalysis } from '../../../server/src/analysis';
import type { EndpointName } from '../../../server/src/manifest/model';
import { mask } from '../../../server/src/base/mask';
import { RequestBuildError, toCurl } from '../../../server/src/testing/request';
import {
  endpointNames,
  mappingVariables,
  retarget,
  testEndpoint,
  type EndpointTestResult,
} from '../../../server/src/testing/endpointTest';
import { buildIngestionRequest } from '../../../server/src/testing/ingestion';
import { simulateSync } from '../../../server/src/testing/simulate';
import { DEFAULT_SEND_OPTIONS, EndpointSender, type SendOptions } from '../../../server/src/testing/send';
import {
  DEFAULT_TEST_VALUES,
  generateUsers,
  parseUsersCsv,
  type SampleUser,
  type TestValues,
} from '../../../server/src/testing/values';
import type { ListId } from '../../../server/src/testing/listId';
import { listedUsers } from '../../../server/src/testing/users';
import { renderResponseHtml, type ResponseView } from './html';
import type { RenderTemplateParams, RenderTemplateResult } from '../../../server/src/protocol';
import { SAMPLE_EVENTS } from '../../../server/src/freemarker/sampleEvents';
import { buildStreamingRequest } from '../../../server/src/testing/streaming';
import { objectAt, stringAt } from '../../../server/src/manifest/value';
import { MEMBERSHIP_VARIABLE } from '../../../server/src/manifest/variables';
import { TestValuesStore } from './valuesStore';

const MANIFEST_LANGUAGE = 'amplitude-manifest';

/** Renders a body template in the language server's FreeMarker worker. */
export type RenderTemplate = (params: RenderTemplateParams) => Thenable<RenderTemplateResult | null>;

/** The result of "Test Endpoint", in short, for whoever ran the command. */
export interface TestOutcome {
  status?: number;
  failure?: string;
  classification?: string;
  listId?: ListId;
}

function sendOptions(): SendOptions {
  const config = vscode.workspace.getConfiguration('amplitude.test');
  return {
    ...DEFAULT_SEND_OPTIONS,
    connectTimeoutMs: config.get('connectTimeoutMs', DEFAULT_SEND_OPTIONS.connectTimeoutMs),
    headersTimeoutMs: config.get('headersTimeoutMs', DEFAULT_SEND_OPTIONS.headersTimeoutMs),
    bodyTimeoutMs: config.get('bodyTimeoutMs', DEFAULT_SEND_OPTIONS.bodyTimeoutMs),
    totalTimeoutMs: config.get('totalTimeoutMs', DEFAULT_SEND_OPTIONS.totalTimeoutMs),
    maxResponseBytes: config.get('maxResponseBytes', DEFAULT_SEND_OPTIONS.maxResponseBytes),
  };
}

function target(): string | undefined {
  const value = vscode.workspace.getConfiguration('amplitude.test').get<string>('targetOverride', '').trim();
  return value === '' ? undefined : value;
}

function analyze(document: vscode.TextDocument): ManifestAnalysis {
  return analyzeManifest(document.getText());
}

export class TestEndpointFeature {
  private readonly panels = new Map<string, vscode.WebviewPanel>();
  private readonly lastResults = new Map<string, EndpointTestResult>();
  /** Values a caller passed in, so "Send again" reuses them. */
  private readonly givenVariables = new Map<string, Record<string, string>>();
  private readonly listIds = new Map<string, ListId>();
  private readonly store: TestValuesStore;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly output: vscode.OutputChannel,
    private readonly renderTemplate: RenderTemplate,
  ) {
    this.store = new TestValuesStore(context.secrets);
    context.subscriptions.push(
      vscode.commands.registerCommand(
        'amplitude.testEndpoint',
        (uri?: vscode.Uri | string, endpoint?: string, variables?: Record<string, string>) =>
          this.test(uri, endpoint, variables),
      ),
      vscode.commands.registerCommand('amplitude.simulateSync', (uri?: vscode.Uri | string) => this.simulate(uri)),
      vscode.commands.registerCommand('amplitude.clearTestValues', (uri?: vscode.Uri) => this.clear(uri)),
    );
  }

  /** `uri`: a Uri, or its string form (CodeLens arguments from the language server arrive as JSON). */
  private async manifest(uri: vscode.Uri | string | undefined): Promise<vscode.TextDocument | undefined> {
    const target = typeof uri === 'string' ? vscode.Uri.parse(uri) : uri;
    const document = target
      ? await vscode.workspace.openTextDocument(target)
      : vscode.window.activeTextEditor?.document;
    if (!document || document.languageId !== MANIFEST_LANGUAGE) {
      void vscode.window.showWarningMessage('Open an integration manifest (*.amplitude.json) first.');
      return undefined;
    }
    return document;
  }

  private async values(
    document: vscode.TextDocument,
    analysis: ManifestAnalysis,
    extra: string[] = [],
  ): Promise<TestValues | undefined> {
    const names = analysis.model.declarations
      .filter((d) => d.source === 'customField' || d.source === 'authentication' || d.source === 'parameter')
      .map((d) => d.name);
    const variables = await this.store.valuesFor(document.uri, analysis, [...new Set([...names, ...extra])]);
    return variables ? { ...DEFAULT_TEST_VALUES, variables } : undefined;
  }

  /**
   * `variables`: test values given by the caller (automation, tests) instead of the stored ones.
   * Resolves with what the panel shows, in short.
   */
  async test(
    uri?: vscode.Uri | string,
    endpointArg?: string,
    variables?: Record<string, string>,
  ): Promise<TestOutcome | undefined> {
    const document = await this.manifest(uri);
    if (!document) return;
    const analysis = analyze(document);
    if (analysis.doc.syntaxProblems.length > 0) {
      void vscode.window.showErrorMessage('The manifest is not valid JSON: fix the problems first.');
      return;
    }
    const ingestion = analysis.model.kind === 'event-ingestion';
    const streaming = analysis.model.kind === 'event-streaming';
    const names: string[] = ingestion || streaming ? ['events'] : endpointNames(analysis);
    if (names.length === 0) {
      void vscode.window.showInformationMessage('This manifest has no endpoints to test.');
      return;
    }
    const endpoint = endpointArg ?? (await vscode.window.showQuickPick(names, { title: 'Test which endpoint?' }));
    if (!endpoint) return;
    const values = variables
      ? { ...DEFAULT_TEST_VALUES, variables }
      : await this.values(document, analysis, ingestion ? ['api_key'] : []);
    if (!values) return;
    let sample: string | undefined;
    if (streaming) {
      sample = variables
        ? SAMPLE_EVENTS[0].name
        : await vscode.window.showQuickPick(
            SAMPLE_EVENTS.map((e) => e.name),
            { title: 'Send which sample event?' },
          );
      if (!sample) return;
    }
    let membership: boolean | undefined;
    if (
      endpoint === 'update' &&
      !variables &&
      analysis.model.references.some((r) => r.endpoint === 'update' && r.name === MEMBERSHIP_VARIABLE)
    ) {
      const picked = await vscode.window.showQuickPick(
        [
          { label: 'Users entered the cohort', description: `$${MEMBERSHIP_VARIABLE} = true`, membership: true },
          { label: 'Users left the cohort', description: `$${MEMBERSHIP_VARIABLE} = false`, membership: false },
        ],
        { title: 'Test the update call for…' },
      );
      if (!picked) return;
      membership = picked.membership;
    }
    const key = `${document.uri.toString()}#${endpoint}`;
    let listId: ListId | undefined = this.listIds.get(document.uri.toString());
    if (
      !ingestion &&
      endpoint !== 'listCreation' &&
      analysis.model.endpoints.some((e) => e.name === 'listCreation') &&
      listId === undefined
    ) {
      listId = await vscode.window.showInputBox({
        title: 'List id',
        prompt: 'Test list creation first to get one, or enter the id of an existing list in your platform.',
        ignoreFocusOut: true,
      });
      if (listId === undefined) return;
    }
    const sender = new EndpointSender(sendOptions());
    try {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Testing ${endpoint}…`, cancellable: true },
        async (_progress, token) => {
          const controller = new AbortController();
          token.onCancellationRequested(() => controller.abort());
          if (streaming) {
            const template = stringAt(objectAt(analysis.doc.value, 'request'), 'bodyTemplate');
            if (!template) throw new RequestBuildError('The manifest has no request.bodyTemplate.');
            const rendered = await this.renderTemplate({
              uri: vscode.Uri.joinPath(document.uri, '..', template).toString(),
              sample,
              parameters: values.variables,
            });
            if (!rendered?.ok || rendered.output === undefined)
              throw new RequestBuildError(
                `The body template does not render: ${rendered?.error?.message ?? 'no answer from the FreeMarker worker'}`,
              );
            const request = retarget(
              buildStreamingRequest(analysis.doc.value, rendered.output, values.variables),
              target(),
            );
            return {
              endpoint: 'events',
              request,
              batches: 1,
              result: await sender.send(request, controller.signal),
            } satisfies EndpointTestResult;
          }
          if (ingestion) {
            const endpointUrl = vscode.workspace
              .getConfiguration('amplitude.test')
              .get<string>('ingestionEndpoint', 'https://api2.amplitude.com/2/httpapi');
            const request = retarget(
              buildIngestionRequest(analysis.doc.value, values.variables.api_key, endpointUrl),
              target(),
            );
            return {
              endpoint: 'events',
              request,
              batches: 1,
              result: await sender.send(request, controller.signal),
            } satisfies EndpointTestResult;
          }
          return testEndpoint(
            analysis,
            endpoint as EndpointName,
            { values, listId, membership, target: target(), users: generateUsers(3, mappingVariables(analysis)) },
            sender,
            controller.signal,
          );
        },
      );
      if (result.listId?.ok) this.listIds.set(document.uri.toString(), result.listId.listId);
      this.lastResults.set(key, result);
      if (variables) this.givenVariables.set(key, variables);
      this.log(result);
      this.show(key, document, endpoint, result);
      return {
        status: result.result.ok ? result.result.status : undefined,
        failure: result.result.ok ? undefined : result.result.message,
        classification: result.classification
          ? `${result.classification.kind}: ${result.classification.failureReason}`
          : undefined,
        listId: result.listId?.ok ? result.listId.listId : undefined,
      };
    } catch (error) {
      void vscode.window.showErrorMessage(
        error instanceof RequestBuildError
          ? error.message
          : `Test failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      await sender.close();
    }
  }

  private log(r: EndpointTestResult): void {
    const outcome = r.result.ok
      ? `${r.result.status} ${r.result.statusText} in ${r.result.timing.totalMs.toFixed(0)} ms`
      : r.result.message;
    this.output.appendLine(
      mask(
        `[test] ${r.request.method} ${r.request.url} -> ${outcome}${r.classification ? ` (${r.classification.failureReason})` : ''}`,
        r.request.secrets,
      ),
    );
  }

  private show(key: string, document: vscode.TextDocument, endpoint: string, result: EndpointTestResult): void {
    let panel = this.panels.get(key);
    const title = `Test ${endpoint}: ${vscode.workspace.asRelativePath(document.uri)}`;
    if (!panel) {
      panel = vscode.window.createWebviewPanel(
        'amplitude.testResponse',
        `Test ${endpoint}`,
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        { enableScripts: true, localResourceRoots: [] },
      );
      this.panels.set(key, panel);
      panel.onDidDispose(() => this.panels.delete(key));
      panel.webview.onDidReceiveMessage((message: { action?: string }) =>
        this.onAction(key, document.uri, endpoint, message.action),
      );
    }
    const view: ResponseView = {
      title,
      request: result.request,
      batches: result.batches,
      result: result.result,
      classification: result.classification,
      listId: result.listId,
    };
    panel.webview.html = renderResponseHtml(view, randomBytes(16).toString('base64'), panel.webview.cspSource);
    panel.reveal(undefined, true);
  }

  private async onAction(key: string, uri: vscode.Uri, endpoint: string, action: string | undefined): Promise<void> {
    const result = this.lastResults.get(key);
    if (!result) return;
    switch (action) {
      case 'openBody': {
        const body = result.result.ok ? result.result.body : result.result.message;
        let content = body;
        let language = 'plaintext';
        try {
          content = JSON.stringify(JSON.parse(body), null, 2);
          language = 'json';
        } catch {
          // not JSON: shown as it came
        }
        await vscode.window.showTextDocument(
          await vscode.workspace.openTextDocument({ content: mask(content, result.request.secrets), language }),
          vscode.ViewColumn.Beside,
        );
        break;
      }
      case 'copyCurl': {
        const choice = await vscode.window.showQuickPick(
          [
            { label: 'Secrets masked', withSecrets: false },
            { label: 'With secrets', description: 'the real API key or token, in your clipboard', withSecrets: true },
          ],
          { title: 'Copy as cURL' },
        );
        if (!choice) return;
        await vscode.env.clipboard.writeText(toCurl(result.request, choice.withSecrets));
        void vscode.window.showInformationMessage(
          `cURL command copied${choice.withSecrets ? ' with secrets' : ' (secrets masked)'}.`,
        );
        break;
      }
      case 'saveResponse': {
        const target = await vscode.window.showSaveDialog({ filters: { JSON: ['json'] }, saveLabel: 'Save response' });
        if (!target) return;
        const saved = {
          request: {
            method: result.request.method,
            url: result.request.url,
            headers: result.request.headers,
            body: result.request.body,
          },
          response: result.result,
          classification: result.classification,
        };
        await vscode.workspace.fs.writeFile(
          target,
          Buffer.from(mask(JSON.stringify(saved, null, 2), result.request.secrets)),
        );
        break;
      }
      case 'rerun':
        await this.test(uri, endpoint, this.givenVariables.get(key));
        break;
      default:
        break;
    }
  }

  async simulate(uri?: vscode.Uri | string): Promise<void> {
    const document = await this.manifest(uri);
    if (!document) return;
    const analysis = analyze(document);
    if (analysis.model.kind !== 'cohort-list' && analysis.model.kind !== 'cohort-property') {
      void vscode.window.showInformationMessage(
        'Simulating a sync needs a cohort manifest (cohort-list or cohort-property).',
      );
      return;
    }
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
    if (!source) return;
    let users: SampleUser[];
    let remove: SampleUser[];
    if (source.csv) {
      const picked = await vscode.window.showOpenDialog({
        filters: { CSV: ['csv'] },
        canSelectMany: false,
        openLabel: 'Use these users',
      });
      if (!picked?.[0]) return;
      try {
        const parsed = parseUsersCsv(Buffer.from(await vscode.workspace.fs.readFile(picked[0])).toString('utf8'));
        users = parsed.add;
        remove = parsed.remove;
      } catch (error) {
        void vscode.window.showErrorMessage(
          `The CSV cannot be used: ${error instanceof Error ? error.message : String(error)}`,
        );
        return;
      }
    } else {
      const count = await vscode.window.showInputBox({
        title: 'Simulate a cohort sync',
        prompt: 'Users to add (10% of them are removed afterwards)',
        value: '25000',
        validateInput: (v) => (/^\d+$/.test(v) ? undefined : 'A whole number'),
      });
      if (count === undefined) return;
      users = generateUsers(Number(count), mappingVariables(analysis));
      remove = users.slice(0, Math.floor(users.length / 10));
    }
    const values = await this.values(document, analysis);
    if (!values) return;
    const sender = new EndpointSender(sendOptions());
    try {
      const summary = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Simulating cohort sync', cancellable: true },
        async (progress, token) => {
          const controller = new AbortController();
          token.onCancellationRequested(() => controller.abort());
          let last = 0;
          return simulateSync(
            analysis,
            {
              values,
              added: listedUsers(users),
              removed: listedUsers(remove),
              target: target(),
              onProgress: (done, total) => {
                progress.report({ increment: ((done - last) / total) * 100, message: `${done} of ${total} requests` });
                last = done;
              },
            },
            sender,
            controller.signal,
          );
        },
      );
      const statuses = Object.entries(summary.statusCounts)
        .map(([k, v]) => `${k}×${v}`)
        .join(', ');
      this.output.appendLine(
        `[simulate] ${summary.requests} requests, ${summary.users.added} added, ${summary.users.removed} removed, statuses ${statuses}, p50 ${summary.latencyMs.p50.toFixed(0)} ms, p95 ${summary.latencyMs.p95.toFixed(0)} ms${summary.problem ? `, stopped: ${summary.problem}` : ''}`,
      );
      for (const [reason, n] of Object.entries(summary.classified))
        this.output.appendLine(`[simulate]   classified error ${reason} ×${n}`);
      const message = `Sync simulated: ${summary.requests} requests (${statuses}), p95 ${summary.latencyMs.p95.toFixed(0)} ms${summary.problem ? `. Stopped: ${summary.problem}` : ''}`;
      void (
        summary.problem || Object.keys(summary.statusCounts).some((s) => !/^2/.test(s))
          ? vscode.window.showWarningMessage(message, 'Show details')
          : vscode.window.showInformationMessage(message, 'Show details')
      ).then((pick) => pick && this.output.show());
    } catch (error) {
      void vscode.window.showErrorMessage(
        error instanceof RequestBuildError
          ? error.message
          : `Simulation failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      await sender.close();
    }
  }

  async clear(uri?: vscode.Uri): Promise<void> {
    const document = await this.manifest(uri);
    if (!document) return;
    await this.store.clear(document.uri, analyze(document));
    this.listIds.delete(document.uri.toString());
    void vscode.window.showInformationMessage('Test values cleared for this manifest.');
  }
}
