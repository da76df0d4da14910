import { getLocation } from 'jsonc-parser';
import { CompletionItemKind, InsertTextFormat, MarkupKind, type CompletionItem } from 'vscode-languageserver-types';
import type { ManifestAnalysis } from '../analysis';
import { PREDEFINED_VARIABLES } from '../manifest/variables';
import { describeDeclaration } from '../hover/variableHover';

export interface CompletionRequest {
  analysis: ManifestAnalysis;
  offset: number;
}

export interface CompletionAnswer {
  items: CompletionItem[];
  /** True when this provider owns the position and others should stay quiet. */
  exclusive: boolean;
}

type Segment = string | number;

/** Where `$variables` are substituted: endpoint URLs, payloads and item templates, and cohort headers. */
function isVariableContext(path: Segment[]): boolean {
  return (path[0] === 'endpoints' && typeof path[1] === 'string' && (path[2] === 'url' || path[2] === 'payload' || path[2] === 'itemTemplate'))
    || (path[0] === 'headers' && path.length === 2);
}

function isParameterContext(path: Segment[]): boolean {
  return path[0] === 'request' && (path[1] === 'url' || (path[1] === 'headers' && path.length === 3));
}

const NAME_CHAR = /[A-Za-z0-9_]/;

/** `$` completion in cohort manifests and `${parameters.` completion in streaming requests. */
export function completeVariables({ analysis, offset }: CompletionRequest): CompletionAnswer {
  const text = analysis.doc.text;
  const location = getLocation(text, offset);
  const path = location.path as Segment[];
  const node = location.previousNode;
  const inString = node?.type === 'string' && node.offset < offset && offset <= node.offset + node.length;
  let end = offset;
  while (end < text.length && NAME_CHAR.test(text[end])) end++;
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(Math.max(lineStart, offset - 200), offset);

  if (isParameterContext(path) && inString) {
    const parameterMatch = /\$\{\s*parameters\.([A-Za-z0-9_]*)$/.exec(before);
    if (!parameterMatch) return { items: [], exclusive: false };
    const start = offset - parameterMatch[1].length;
    const closes = text[end] === '}';
    const items = analysis.model.declarations.filter((d) => d.source === 'parameter').map((d): CompletionItem => ({
      label: d.name,
      kind: CompletionItemKind.Variable,
      detail: `Parameter · ${d.displayName}`,
      textEdit: { range: { start: analysis.doc.lines.positionAt(start), end: analysis.doc.lines.positionAt(end) }, newText: closes ? d.name : `${d.name}}` },
    }));
    return { items, exclusive: true };
  }

  if (!isVariableContext(path) || location.isAtPropertyKey && !inString) return { items: [], exclusive: false };
  const match = /\$([A-Za-z0-9_]*)$/.exec(before);
  if (!match) return { items: [], exclusive: false };
  const start = offset - match[0].length;
  // Outside a string (`"userIds": $it|`), the variable must become a JSON string to stay valid JSON.
  const wrap = (name: string) => (inString ? `$${name}` : `"$${name}"`);
  const range = { start: analysis.doc.lines.positionAt(start), end: analysis.doc.lines.positionAt(end) };
  const endpoint = typeof path[1] === 'string' && path[0] === 'endpoints' ? path[1] : undefined;
  const items: CompletionItem[] = [];
  const seen = new Set<string>();
  for (const declaration of analysis.model.declarations) {
    if (declaration.source === 'parameter' || seen.has(declaration.name)) continue;
    seen.add(declaration.name);
    items.push({
      label: `$${declaration.name}`,
      kind: CompletionItemKind.Variable,
      detail: describeDeclaration(declaration),
      documentation: declaration.documentation ? { kind: MarkupKind.Markdown, value: declaration.documentation } : undefined,
      sortText: `0${declaration.name}`,
      filterText: `$${declaration.name}`,
      textEdit: { range, newText: wrap(declaration.name) },
      insertTextFormat: InsertTextFormat.PlainText,
    });
  }
  for (const variable of PREDEFINED_VARIABLES) {
    if (seen.has(variable.name)) continue;
    if (variable.name === 'list_id' && (endpoint === 'listCreation' || analysis.model.kind === 'cohort-property')) continue;
    if (variable.name === 'items' && endpoint === 'listCreation') continue;
    items.push({
      label: `$${variable.name}`,
      kind: CompletionItemKind.Constant,
      detail: `Pre-defined · ${variable.summary}`,
      documentation: { kind: MarkupKind.Markdown, value: `${variable.documentation}${variable.aliases.length ? `\n\nAlso accepted: ${variable.aliases.map((a) => `\`$${a}\``).join(', ')}.` : ''}` },
      sortText: `1${variable.name}`,
      filterText: `$${variable.name}`,
      textEdit: { range, newText: wrap(variable.name) },
    });
  }
  return { items, exclusive: true };
}
