import * as vscode from 'vscode';
import type { ManifestKind } from '../../server/src/manifest/model';
import { slugify } from '../../server/src/manifest/variables';
import { scaffoldIntegration } from '../../server/src/scaffold';

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
  const manifestUri = vscode.Uri.joinPath(folder, `${slug}.amplitude.json`);
  try {
    await vscode.workspace.fs.stat(manifestUri);
    void vscode.window.showWarningMessage(
      `${vscode.workspace.asRelativePath(manifestUri)} already exists: nothing was overwritten.`,
    );
    return;
  } catch {
    // a new file, as expected
  }
  const { manifest, files } = scaffoldIntegration(picked.integrationKind, displayName.trim());
  for (const file of files) {
    const target = vscode.Uri.joinPath(folder, file.name);
    await vscode.workspace.fs.writeFile(
      target,
      typeof file.content === 'string' ? Buffer.from(file.content) : file.content,
    );
  }
  await vscode.workspace.fs.writeFile(manifestUri, Buffer.from(manifest));
  await ignoreTestValues(folder);
  await vscode.window.showTextDocument(manifestUri);
  await openPreview(manifestUri);
}

/** Test values (and secrets) for Test Endpoint never reach git. */
async function ignoreTestValues(folder: vscode.Uri): Promise<void> {
  const gitignore = vscode.Uri.joinPath(folder, '.gitignore');
  let current = '';
  try {
    current = Buffer.from(await vscode.workspace.fs.readFile(gitignore)).toString('utf8');
  } catch {
    // no .gitignore yet
  }
  if (current.split(/\r?\n/).some((line) => line.trim() === '.amplitude/' || line.trim() === '.amplitude')) return;
  const prefix = current === '' || current.endsWith('\n') ? current : `${current}\n`;
  await vscode.workspace.fs.writeFile(
    gitignore,
    Buffer.from(`${prefix}# Amplitude Test Endpoint: local test values\n.amplitude/\n`),
  );
}
