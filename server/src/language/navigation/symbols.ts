import { findNodeAtLocation, type Node } from 'jsonc-parser';
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver-types';
import type { ManifestAnalysis } from '../../analysis';
import { ENDPOINT_TITLES, propertyKey, propertyValue, type EndpointName } from '../../manifest/model';

function str(node: Node | undefined, path: (string | number)[]): string | undefined {
  const found = node ? findNodeAtLocation(node, path) : undefined;
  return typeof found?.value === 'string'
    ? found.value
    : typeof found?.value === 'number'
      ? String(found.value)
      : undefined;
}

/** The manifest's outline, in the portal's words: connection, fields, endpoints with their errors, steps. */
export function documentSymbols(analysis: ManifestAnalysis): DocumentSymbol[] {
  const { doc } = analysis;
  const lines = doc.lines;
  const symbol = (
    name: string,
    kind: SymbolKind,
    node: Node,
    selection: Node,
    detail?: string,
    children?: DocumentSymbol[],
  ): DocumentSymbol => ({
    name: name || '(unnamed)',
    kind,
    detail,
    range: lines.rangeOf({ start: node.offset, end: node.offset + node.length }),
    selectionRange: lines.rangeOf({ start: selection.offset, end: selection.offset + selection.length }),
    children,
  });
  const symbols: DocumentSymbol[] = [];
  const root = doc.root;
  for (const property of root?.type === 'object' ? (root.children ?? []) : []) {
    const key = propertyKey(property);
    const value = propertyValue(property);
    if (!key || !value || typeof key.value !== 'string') continue;
    const name = key.value;
    const elements = value.type === 'array' ? (value.children ?? []) : [];
    switch (name) {
      case 'connection':
        symbols.push(symbol('Connection', SymbolKind.Module, property, key, str(value, ['displayName'])));
        break;
      case 'authentication':
        symbols.push(symbol('Authentication', SymbolKind.Key, property, key, str(value, ['method'])));
        break;
      case 'customFields':
      case 'mappingFields':
      case 'parameters':
        symbols.push(
          symbol(
            name === 'customFields' ? 'Custom fields' : name === 'mappingFields' ? 'Mapping fields' : 'Parameters',
            SymbolKind.Namespace,
            property,
            key,
            undefined,
            elements.map((e) =>
              symbol(
                name === 'parameters' ? `parameters.${str(e, ['name']) ?? ''}` : `$${str(e, ['variable']) ?? ''}`,
                SymbolKind.Variable,
                e,
                e,
                str(e, ['displayName']),
              ),
            ),
          ),
        );
        break;
      case 'endpoints':
        symbols.push(
          symbol(
            'Endpoints',
            SymbolKind.Namespace,
            property,
            key,
            undefined,
            (value.children ?? []).flatMap((endpointProperty) => {
              const endpointKey = propertyKey(endpointProperty);
              const endpointValue = propertyValue(endpointProperty);
              const endpointName = endpointKey?.value as EndpointName;
              if (!endpointKey || !endpointValue || !(endpointName in ENDPOINT_TITLES)) return [];
              const errors = findNodeAtLocation(endpointValue, ['errors']);
              return [
                symbol(
                  ENDPOINT_TITLES[endpointName],
                  SymbolKind.Function,
                  endpointProperty,
                  endpointKey,
                  `${str(endpointValue, ['method']) ?? ''} ${str(endpointValue, ['url']) ?? ''}`.trim(),
                  (errors?.type === 'array' ? (errors.children ?? []) : []).map((e) =>
                    symbol(
                      `${str(e, ['status']) ?? '?'} ${str(e, ['failureReason']) ?? ''}`.trim(),
                      SymbolKind.EnumMember,
                      e,
                      findNodeAtLocation(e, ['status']) ?? e,
                      str(e, ['message']),
                    ),
                  ),
                ),
              ];
            }),
          ),
        );
        break;
      case 'userPropertyMappings':
        symbols.push(
          symbol(
            'User property mappings',
            SymbolKind.Namespace,
            property,
            key,
            undefined,
            elements.map((e) =>
              symbol(
                `mappedFields.${str(e, ['name']) ?? ''}`,
                SymbolKind.Field,
                e,
                e,
                findNodeAtLocation(e, ['required'])?.value === true ? 'required' : undefined,
              ),
            ),
          ),
        );
        break;
      case 'request':
        symbols.push(
          symbol(
            'Request',
            SymbolKind.Function,
            property,
            key,
            `${str(value, ['method']) ?? ''} ${str(value, ['url']) ?? ''}`.trim(),
          ),
        );
        break;
      case 'setup': {
        const steps = findNodeAtLocation(value, ['steps']);
        symbols.push(
          symbol(
            'Setup instructions',
            SymbolKind.Namespace,
            property,
            key,
            str(value, ['subtitle']),
            (steps?.type === 'array' ? (steps.children ?? []) : []).map((s, i) =>
              symbol(`Step ${i + 1}`, SymbolKind.Event, s, s, str(s, ['text'])),
            ),
          ),
        );
        break;
      }
      default:
        symbols.push(
          symbol(
            name,
            SymbolKind.Property,
            property,
            key,
            value.type === 'string' || value.type === 'number' || value.type === 'boolean'
              ? String(value.value)
              : undefined,
          ),
        );
    }
  }
  return symbols;
}
