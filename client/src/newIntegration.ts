import * as vscode from 'vscode';
import type { ManifestKind } from '../../server/src/manifest/model';
import { slugify } from '../../server/src/manifest/variables';
import { scaffoldIntegration } from '../../server/src/scaffold';
import { writeNewIntegration } from './newIntegrationFiles';

const KINDS: { label: string; integrationKind: ManifestKind; detail: string }[] = [
  {
    label: 'Cohort sync, list-based',
    integrationKind: 'cohort-list',
    detail: 'A cohort is a list in your platform: list creation, add users, remove users.',
  },
  {
    label: 'Cohort sync, property-based',
    integrationKind: 'cohort-property',
    detail: 'Cohort membership is a user property or tag: one update call.',
  },
  {
    label: 'Event streaming',
    integrationKind: 'event-streaming',
    detail: 'Amplitude forwards events in real time; a FreeMarker template builds each body.',
  },
  {
    label: 'Event ingestion source',
    integrationKind: 'event-ingestion',
    detail: 'Your platform sends events into Amplitude; customers follow your setup steps.',
  },
];

/** "Amplitude: New Integration": a working starting point, opened with its preview. */
export async function newIntegration(openPreview: (uri: vscode.Uri) => Promise<void>): Promise<void> {
  const picked = await vscode.window.showQuickPick(KINDS, { title: 'New Amplitude integration: which kind?' });
  if (!picked) return;
  const displayName = await vscode.window.showInputBox({
    title: 'Display name',
    prompt: 'The name customers see on the tile and in "Connect to ..."',
    validateInput: (v) => (v.trim() ? undefined : 'A display name is required'),
  });
  if (!displayName) return;
  const folder =
    vscode.workspace.workspaceFolders?.[0]?.uri ??
    (
      await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Create here' })
    )?.[0];
  if (!folder) return;
  const slug =
    slugify(displayName.trim())
      .toLowerCase()
      .replace(/^-+|-+$/g, '') || 'integration';
  if (folder.scheme !== 'file') {
    void vscode.window.showErrorMessage('New Integration writes into a folder on disk: open one first.');
    return;
  }
  const manifestUri = vscode.Uri.joinPath(folder, `${slug}.amplitude.json`);
  const { manifest, files } = scaffoldIntegration(picked.integrationKind, displayName.trim());
  const written = writeNewIntegration(folder.fsPath, [...files, { name: `${slug}.amplitude.json`, content: manifest }]);
  if (!written.ok) {
    void vscode.window.showWarningMessage(written.message);
    return;
  }
  if (written.ignoreNote) void vscode.window.showWarningMessage(written.ignoreNote);
  await vscode.window.showTextDocument(manifestUri);
  await openPreview(manifestUri);
}
