import { findNodeAtLocation, type Node } from 'jsonc-parser';
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver-types';
import type { ManifestAnalysis } from '../../analysis';
import type { LineIndex } from '../../base/text';
import { ENDPOINT_TITLES, propertyKey, propertyValue, type EndpointName } from '../../manifest/model';

function str(node: Node | undefined, path: (string | number)[]): string | undefined {
  const found = node ? findNodeAtLocation(node, path) : undefined;
  if (typeof found?.value === 'string') return found.value;
  return typeof found?.value === 'number' ? String(found.value) : undefined;
}

function childrenOf(node: Node | undefined): Node[] {
  return node?.type === 'array' ? (node.children ?? []) : [];
}

type MakeSymbol = (
  name: string,
  kind: SymbolKind,
  node: Node,
  selection: Node,
  detail?: string,
  children?: DocumentSymbol[],
) => DocumentSymbol;

interface SymbolContext {
  symbol: MakeSymbol;
  property: Node;
  key: Node;
  value: Node;
}

type SymbolProvider = (context: SymbolContext) => DocumentSymbol;

const requestDetail = (value: Node) => `${str(value, ['method']) ?? ''} ${str(value, ['url']) ?? ''}`.trim();

const declarations =
  (title: string, label: (element: Node) => string): SymbolProvider =>
  ({ symbol, property, key, value }) =>
    symbol(
      title,
      SymbolKind.Namespace,
      property,
      key,
      undefined,
      childrenOf(value).map((e) => symbol(label(e), SymbolKind.Variable, e, e, str(e, ['displayName']))),
    );

function endpointSymbol(symbol: MakeSymbol, endpointProperty: Node): DocumentSymbol[] {
  const endpointKey = propertyKey(endpointProperty);
  const endpointValue = propertyValue(endpointProperty);
  const endpointName = endpointKey?.value as EndpointName;
  if (!endpointKey || !endpointValue || !(endpointName in ENDPOINT_TITLES)) return [];
  const errors = childrenOf(findNodeAtLocation(endpointValue, ['errors'])).map((e) => {
    const name = `${str(e, ['status']) ?? '?'} ${str(e, ['failureReason']) ?? ''}`.trim();
    return symbol(name, SymbolKind.EnumMember, e, findNodeAtLocation(e, ['status']) ?? e, str(e, ['message']));
  });
  const title = ENDPOINT_TITLES[endpointName];
  return [symbol(title, SymbolKind.Function, endpointProperty, endpointKey, requestDetail(endpointValue), errors)];
}

/** One provider per top-level key the outline names in the portal's words; other keys show as properties. */
const PROVIDERS: Record<string, SymbolProvider> = {
  connection: ({ symbol, property, key, value }) =>
    symbol('Connection', SymbolKind.Module, property, key, str(value, ['displayName'])),
  authentication: ({ symbol, property, key, value }) =>
    symbol('Authentication', SymbolKind.Key, property, key, str(value, ['method'])),
  customFields: declarations('Custom fields', (e) => `$${str(e, ['variable']) ?? ''}`),
  mappingFields: declarations('Mapping fields', (e) => `$${str(e, ['variable']) ?? ''}`),
  parameters: declarations('Parameters', (e) => `parameters.${str(e, ['name']) ?? ''}`),
  endpoints: ({ symbol, property, key, value }) =>
    symbol(
      'Endpoints',
      SymbolKind.Namespace,
      property,
      key,
      undefined,
      (value.children ?? []).flatMap((endpoint) => endpointSymbol(symbol, endpoint)),
    ),
  userPropertyMappings: ({ symbol, property, key, value }) =>
    symbol(
      'User property mappings',
      SymbolKind.Namespace,
      property,
      key,
      undefined,
      childrenOf(value).map((e) => {
        const required = findNodeAtLocation(e, ['required'])?.value === true ? 'required' : undefined;
        return symbol(`mappedFields.${str(e, ['name']) ?? ''}`, SymbolKind.Field, e, e, required);
      }),
    ),
  request: ({ symbol, property, key, value }) =>
    symbol('Request', SymbolKind.Function, property, key, requestDetail(value)),
  setup: ({ symbol, property, key, value }) =>
    symbol(
      'Setup instructions',
      SymbolKind.Namespace,
      property,
      key,
      str(value, ['subtitle']),
      childrenOf(findNodeAtLocation(value, ['steps'])).map((s, i) =>
        symbol(`Step ${i + 1}`, SymbolKind.Event, s, s, str(s, ['text'])),
      ),
    ),
};

const plainProperty =
  (name: string): SymbolProvider =>
  ({ symbol, property, key, value }) => {
    const scalar = value.type === 'string' || value.type === 'number' || value.type === 'boolean';
    return symbol(name, SymbolKind.Property, property, key, scalar ? String(value.value) : undefined);
  };

function symbolFactory(lines: LineIndex): MakeSymbol {
  return (name, kind, node, selection, detail, children) => ({
    name: name || '(unnamed)',
    kind,
    detail,
    range: lines.rangeOf({ start: node.offset, end: node.offset + node.length }),
    selectionRange: lines.rangeOf({ start: selection.offset, end: selection.offset + selection.length }),
    children,
  });
}

/** The manifest's outline, in the portal's words: connection, fields, endpoints with their errors, steps. */
export function documentSymbols(analysis: ManifestAnalysis): DocumentSymbol[] {
  const symbol = symbolFactory(analysis.doc.lines);
  const root = analysis.doc.root;
  const symbols: DocumentSymbol[] = [];
  for (const property of root?.type === 'object' ? (root.children ?? []) : []) {
    const key = propertyKey(property);
    const value = propertyValue(property);
    if (!key || !value || typeof key.value !== 'string') continue;
    const provider = Object.hasOwn(PROVIDERS, key.value) ? PROVIDERS[key.value] : plainProperty(key.value);
    symbols.push(provider({ symbol, property, key, value }));
  }
  return symbols;
}
