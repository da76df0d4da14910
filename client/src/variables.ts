import * as vscode from 'vscode';
import { VariablesRequest } from '../../server/src/protocol';
import type { VariablesTable } from '../../server/src/manifest/variablesTable';
import type { ServerApi } from './serverApi';

export const MANIFEST_LANGUAGE = 'amplitude-manifest';

const SOURCE_LABEL: Record<string, string> = {
  customField: 'custom field',
  mappingField: 'mapping field',
  authentication: 'authentication',
  parameter: 'parameter',
};

type Item = vscode.QuickPickItem & { range?: { start: { line: number; character: number } } };

function items(table: VariablesTable): Item[] {
  return [
    { label: 'Declared', kind: vscode.QuickPickItemKind.Separator },
    ...table.declared.map((d) => ({
      label: `${d.used ? '$(check)' : '$(warning)'} ${d.written}`,
      description: `${SOURCE_LABEL[d.source]} · ${d.displayName}`,
      detail: d.used ? undefined : 'declared, never used',
      range: d.range,
    })),
    { label: 'Used', kind: vscode.QuickPickItemKind.Separator },
    ...table.used.map((u) => ({
      label: `${u.status === 'undeclared' ? '$(error)' : '$(check)'} ${u.written}`,
      description: `${u.status} · used ${u.uses.length}×`,
      range: u.uses[0]?.range,
    })),
    ...(table.predefined.length ? [{ label: 'Pre-defined', kind: vscode.QuickPickItemKind.Separator }] : []),
    ...table.predefined.map((p) => ({
      label: `$${p.name}`,
      description: p.summary,
      detail: p.aliases.length ? `aliases: ${p.aliases.map((a) => `$${a}`).join(', ')}` : undefined,
    })),
  ];
}

/** "Amplitude: Show Variables": the portal's DECLARED / USED / PRE-DEFINED table, from the server. */
export async function showVariables(api: ServerApi): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== MANIFEST_LANGUAGE) {
    void vscode.window.showInformationMessage('Open an integration manifest (*.amplitude.json) to see its variables.');
    return;
  }
  const table = await api.request(VariablesRequest, { uri: editor.document.uri.toString() });
  if (!table) return;
  const picked = await vscode.window.showQuickPick(items(table), {
    title: 'Variables: declared, used, pre-defined',
    matchOnDescription: true,
  });
  if (picked?.range) {
    const position = new vscode.Position(picked.range.start.line, picked.range.start.character);
    editor.selection = new vscode.Selection(position, position);
    editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenter);
  }
}
