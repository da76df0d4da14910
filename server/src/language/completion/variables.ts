import { findNodeAtOffset, getLocation, getNodePath } from 'jsonc-parser';
import { CompletionItemKind, type CompletionItem, type Range } from 'vscode-languageserver-types';
import type { ManifestAnalysis } from '../../analysis';
import { MEMBERSHIP_VARIABLE, PREDEFINED_VARIABLES } from '../../manifest/variables';
import { describeDeclaration } from '../hover/variables';

export interface CompletionRequest {
  analysis: ManifestAnalysis;
  offset: number;
}

export interface CompletionAnswer {
  items: CompletionItem[];
  /** True when this provider owns the position and others should stay quiet. */
  exclusive: boolean;
  /** The range every item replaces, when they all share one (sent once as `itemDefaults.editRange`). */
  editRange?: Range;
}

/** Detail and markdown for a `$variable` item, filled in on resolve. */
export function describeVariableItem(
  analysis: ManifestAnalysis,
  label: string,
): { detail: string; documentation: string } | undefined {
  const name = label.startsWith('$') ? label.slice(1) : label;
  const declaration = analysis.model.declarations.find((d) => d.name === name && d.source !== 'parameter');
  if (declaration) {
    return {
      detail: describeDeclaration(declaration),
      documentation:
        declaration.documentation ??
        `Filled with what the customer enters for **${declaration.displayName}** in the setup modal.`,
    };
  }
  const variable = PREDEFINED_VARIABLES.find((v) => v.name === name);
  if (!variable) return undefined;
  return {
    detail: `Pre-defined · ${variable.summary}`,
    documentation: `${variable.documentation}${
      variable.aliases.length ? `\n\nAlso accepted: ` + `${variable.aliases.map((a) => `\`$${a}\``).join(', ')}.` : ''
    }`,
  };
}

type Segment = string | number;

/** Where `$variables` are substituted: endpoint URLs, payloads and item templates, and cohort headers. */
function isVariableContext(path: Segment[]): boolean {
  return (
    (path[0] === 'endpoints' &&
      typeof path[1] === 'string' &&
      ['url', 'payload', 'itemTemplate', 'payloadText', 'itemTemplateText'].includes(String(path[2]))) ||
    (path[0] === 'headers' && path.length === 2)
  );
}

function isParameterContext(path: Segment[]): boolean {
  return path[0] === 'request' && (path[1] === 'url' || (path[1] === 'headers' && path.length === 3));
}

const NAME_CHAR = /[A-Za-z0-9_]/;

/**
 * The JSON path at `offset`. Inside a string the parsed tree answers at once; elsewhere (often broken
 * text, such as a bare `$` after a colon) jsonc's getLocation re-reads the text up to the cursor.
 */
function locate(
  analysis: ManifestAnalysis,
  offset: number,
): { path: Segment[]; inString: boolean; isAtPropertyKey: boolean } {
  const root = analysis.doc.root;
  const node = root ? findNodeAtOffset(root, offset) : undefined;
  if (node?.type === 'string' && node.offset < offset && offset < node.offset + node.length) {
    const isKey = node.parent?.type === 'property' && node.parent.children?.[0] === node;
    return {
      path: isKey ? getNodePath(node.parent) : getNodePath(node),
      inString: true,
      isAtPropertyKey: isKey,
    };
  }
  const location = getLocation(analysis.doc.text, offset);
  const previous = location.previousNode;
  return {
    path: location.path,
    inString: previous?.type === 'string' && previous.offset < offset && offset <= previous.offset + previous.length,
    isAtPropertyKey: location.isAtPropertyKey,
  };
}

/** `$` completion in cohort manifests and `${parameters.` completion in streaming requests. */
export function completeVariables({ analysis, offset }: CompletionRequest): CompletionAnswer {
  const text = analysis.doc.text;
  const { path, inString, isAtPropertyKey } = locate(analysis, offset);
  let end = offset;
  while (end < text.length && NAME_CHAR.test(text[end])) end++;
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(Math.max(lineStart, offset - 200), offset);

  if (isParameterContext(path) && inString) {
    const parameterMatch = /\$\{\s*parameters\.([A-Za-z0-9_]*)$/.exec(before);
    if (!parameterMatch) return { items: [], exclusive: false };
    const start = offset - parameterMatch[1].length;
    const closes = text[end] === '}';
    const items = analysis.model.declarations
      .filter((d) => d.source === 'parameter')
      .map((d): CompletionItem => ({
        label: d.name,
        kind: CompletionItemKind.Variable,
        detail: `Parameter · ${d.displayName}`,
        textEdit: {
          range: { start: analysis.doc.lines.positionAt(start), end: analysis.doc.lines.positionAt(end) },
          newText: closes ? d.name : `${d.name}}`,
        },
      }));
    return { items, exclusive: true };
  }

  if (!isVariableContext(path) || (isAtPropertyKey && !inString)) return { items: [], exclusive: false };
  const match = /\$([A-Za-z0-9_]*)$/.exec(before);
  if (!match) return { items: [], exclusive: false };
  const start = offset - match[0].length;
  // Outside a string (`"userIds": $it|`), the variable must become a JSON string to stay valid JSON.
  const wrap = (name: string) => (inString ? `$${name}` : `"$${name}"`);
  const range = { start: analysis.doc.lines.positionAt(start), end: analysis.doc.lines.positionAt(end) };
  const endpoint = typeof path[1] === 'string' && path[0] === 'endpoints' ? path[1] : undefined;
  const items: CompletionItem[] = [];
  const seen = new Set<string>();
  // Inside a string the label is exactly the text to insert, so items carry no edit of their own.
  // Lists can hold thousands of declared variables: detail and docs come on resolve, keyed by the label.
  const item = (name: string, kind: CompletionItemKind, sortText?: string): CompletionItem => {
    const base: CompletionItem = sortText ? { label: `$${name}`, kind, sortText } : { label: `$${name}`, kind };
    if (!inString) base.textEditText = wrap(name);
    return base;
  };
  for (const declaration of analysis.model.declarations) {
    if (declaration.source === 'parameter' || seen.has(declaration.name)) continue;
    seen.add(declaration.name);
    items.push(item(declaration.name, CompletionItemKind.Variable));
  }
  for (const variable of PREDEFINED_VARIABLES) {
    if (seen.has(variable.name)) continue;
    if (variable.name === 'list_id' && (endpoint === 'listCreation' || analysis.model.kind === 'cohort-property'))
      continue;
    if (variable.name === 'items' && endpoint === 'listCreation') continue;
    if (variable.name === MEMBERSHIP_VARIABLE && analysis.model.kind !== 'cohort-property') continue;
    items.push(item(variable.name, CompletionItemKind.Constant, `$~${variable.name}`)); // after the declared ones
  }
  return { items, exclusive: true, editRange: range };
}
