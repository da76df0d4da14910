import * as vscode from 'vscode';
import type { TestPlan } from '../../../server/src/protocol';
import type { TestValuesStore } from './valuesStore';

export const MANIFEST_LANGUAGE = 'amplitude-manifest';

/** `uri`: a Uri, or its string form (CodeLens arguments from the language server arrive as JSON). */
export async function manifestDocument(uri: vscode.Uri | string | undefined): Promise<vscode.TextDocument | undefined> {
  const target = typeof uri === 'string' ? vscode.Uri.parse(uri) : uri;
  const document = target ? await vscode.workspace.openTextDocument(target) : vscode.window.activeTextEditor?.document;
  if (!document || document.languageId !== MANIFEST_LANGUAGE) {
    void vscode.window.showWarningMessage('Open an integration manifest (*.amplitude.json) first.');
    return undefined;
  }
  return document;
}

/** What one test sends, as the user answered (or a caller passed in). */
export interface TestChoice {
  name: string;
  values: Record<string, string>;
  sample?: string;
  membership?: boolean;
  listId?: string | number;
}

function pickMembership(plan: TestPlan, name: string): Thenable<{ membership: boolean } | undefined> | undefined {
  if (name !== 'update' || !plan.usesMembership) return undefined;
  return vscode.window.showQuickPick(
    [
      { label: 'Users entered the cohort', description: '$amp_cohort_membership = true', membership: true },
      { label: 'Users left the cohort', description: '$amp_cohort_membership = false', membership: false },
    ],
    { title: 'Test the update call for…' },
  );
}

/** A typed list id: digits are a number (as an API with numeric ids answers), anything else a string. */
function listIdOf(text: string): string | number {
  return /^-?\d+$/.test(text.trim()) && Number.isSafeInteger(Number(text)) ? Number(text) : text;
}

async function askListId(): Promise<string | number | undefined> {
  const typed = await vscode.window.showInputBox({
    title: 'List id',
    prompt: 'Test list creation first to get one, or enter the id of an existing list (digits are sent as a number).',
    ignoreFocusOut: true,
  });
  return typed === undefined ? undefined : listIdOf(typed);
}

/** Asks what a test needs that is not known yet; undefined when the user cancels. */
export async function askTestChoice(
  document: vscode.TextDocument,
  plan: TestPlan,
  store: TestValuesStore,
  given: { name?: string; values?: Record<string, string>; listId?: string | number },
): Promise<TestChoice | undefined> {
  const name = given.name ?? (await vscode.window.showQuickPick(plan.tests, { title: 'Test which endpoint?' }));
  if (!name) return undefined;
  const values = given.values ?? (await store.valuesFor(document.uri, plan.needs));
  if (!values) return undefined;
  let sample: string | undefined;
  if (plan.kind === 'event-streaming') {
    sample = given.values
      ? plan.samples[0]
      : await vscode.window.showQuickPick(plan.samples, { title: 'Send which sample event?' });
    if (!sample) return undefined;
  }
  const membershipPick = given.values ? undefined : pickMembership(plan, name);
  const membership = membershipPick ? (await membershipPick)?.membership : undefined;
  if (membershipPick && membership === undefined) return undefined;
  let listId = given.listId;
  if (listId === undefined && plan.hasListCreation && name !== 'listCreation') {
    listId = await askListId();
    if (listId === undefined) return undefined;
  }
  return { name, values, sample, membership, listId };
}
