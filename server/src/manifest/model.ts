import { findNodeAtLocation, type JSONPath, type Node } from 'jsonc-parser';
import type { ManifestDocument } from './document';
import type { Span } from './text';
import { AUTH_VARIABLES, scanParameterReferences, scanVariablesIn, type AuthMethod, type RawVariableMatch } from './variables';

export const MANIFEST_KINDS = ['event-ingestion', 'cohort-list', 'cohort-property', 'event-streaming'] as const;
export type ManifestKind = (typeof MANIFEST_KINDS)[number];

export const ENDPOINT_NAMES = ['listCreation', 'addUsers', 'removeUsers', 'update'] as const;
export type EndpointName = (typeof ENDPOINT_NAMES)[number];

export const ENDPOINT_TITLES: Record<EndpointName, string> = {
  listCreation: 'List creation',
  addUsers: 'Add users',
  removeUsers: 'Remove users',
  update: 'Update',
};

export type DeclarationSource = 'customField' | 'mappingField' | 'authentication' | 'parameter';

export interface VariableDeclaration {
  name: string;
  source: DeclarationSource;
  displayName: string;
  /** The name as written (inside the quotes) where it can be renamed; for auth variables, the `method` value. */
  nameSpan: Span;
  /** The whole array element, for "remove this declaration". Absent for auth variables. */
  entrySpan?: Span;
  path: JSONPath;
  /** Auth variables that Amplitude puts in the Authorization header itself need no explicit use. */
  implicitlyUsed: boolean;
  documentation?: string;
}

export type UsePart = 'url' | 'header' | 'payload' | 'itemTemplate';

export interface VariableReference extends RawVariableMatch {
  endpoint?: EndpointName;
  part: UsePart;
}

export interface ErrorClassificationModel {
  node: Node;
  status: number | undefined;
  statusNode: Node | undefined;
  subErrorCodeNode: Node | undefined;
}

export interface EndpointModel {
  name: EndpointName;
  /** The property node `"addUsers": {...}`. */
  propertyNode: Node;
  keyNode: Node;
  valueNode: Node;
  urlNode?: Node;
  payloadKeyNode?: Node;
  payloadNode?: Node;
  itemTemplateNode?: Node;
  errorsNode?: Node;
  errors: ErrorClassificationModel[];
  copyErrorsFromNode?: Node;
}

export interface ParameterReference extends Span {
  name: string;
  part: 'url' | 'header';
}

export interface ManifestModel {
  kind?: ManifestKind;
  kindNode?: Node;
  authMethod?: AuthMethod;
  declarations: VariableDeclaration[];
  references: VariableReference[];
  endpoints: EndpointModel[];
  parameterReferences: ParameterReference[];
  /** Top-level `"key": value` nodes, in order. */
  topLevel: Node[];
}

export function propertyKey(property: Node): Node | undefined {
  return property.type === 'property' ? property.children?.[0] : undefined;
}

export function propertyValue(property: Node): Node | undefined {
  return property.type === 'property' ? property.children?.[1] : undefined;
}

/** The `"key": value` property node holding `node` (for a value node). */
export function owningProperty(node: Node): Node | undefined {
  return node.parent?.type === 'property' ? node.parent : undefined;
}

export function stringContentSpan(node: Node): Span {
  return node.type === 'string' ? { start: node.offset + 1, end: node.offset + node.length - 1 } : { start: node.offset, end: node.offset + node.length };
}

export function nodeSpan(node: Node): Span {
  return { start: node.offset, end: node.offset + node.length };
}

function child(root: Node | undefined, path: JSONPath): Node | undefined {
  return root ? findNodeAtLocation(root, path) : undefined;
}

function stringValue(node: Node | undefined): string | undefined {
  return node?.type === 'string' && typeof node.value === 'string' ? node.value : undefined;
}

/** Visits every string node under `node` (property keys included), without recursion. */
export function forEachString(node: Node | undefined, visit: (stringNode: Node) => void): void {
  if (!node) return;
  const stack: Node[] = [node];
  while (stack.length > 0) {
    const current = stack.pop() as Node;
    if (current.type === 'string') visit(current);
    else if (current.children) for (let i = current.children.length - 1; i >= 0; i--) stack.push(current.children[i]);
  }
}

function scanNode(text: string, node: Node | undefined, part: UsePart, endpoint: EndpointName | undefined, into: VariableReference[]): void {
  forEachString(node, (s) => {
    scanVariablesIn(text, s.offset + 1, s.offset + s.length - 1, (name, start, end, dashTail) => into.push({ name, start, end, dashTail, part, endpoint }));
  });
}

function isKind(value: string | undefined): value is ManifestKind {
  return (MANIFEST_KINDS as readonly string[]).includes(value ?? '');
}

function isAuthMethod(value: string | undefined): value is AuthMethod {
  return value === 'none' || value === 'basic' || value === 'header' || value === 'bearer';
}

function declareFields(root: Node, arrayKey: 'customFields' | 'mappingFields' | 'parameters', source: DeclarationSource, into: VariableDeclaration[]): void {
  const array = child(root, [arrayKey]);
  if (array?.type !== 'array' || !array.children) return;
  const nameKey = source === 'parameter' ? 'name' : 'variable';
  array.children.forEach((element, index) => {
    const nameNode = child(element, [nameKey]);
    const name = stringValue(nameNode);
    if (!nameNode || name === undefined || name === '') return;
    into.push({
      name,
      source,
      displayName: stringValue(child(element, ['displayName'])) ?? name,
      nameSpan: stringContentSpan(nameNode),
      entrySpan: nodeSpan(element),
      path: [arrayKey, index],
      implicitlyUsed: false,
    });
  });
}

function readEndpoint(name: EndpointName, property: Node): EndpointModel | undefined {
  const keyNode = propertyKey(property);
  const valueNode = propertyValue(property);
  if (!keyNode || !valueNode) return undefined;
  const payloadNode = child(valueNode, ['payload']);
  const errorsNode = child(valueNode, ['errors']);
  const errors: ErrorClassificationModel[] = [];
  if (errorsNode?.type === 'array') {
    for (const element of errorsNode.children ?? []) {
      const statusNode = child(element, ['status']);
      errors.push({
        node: element,
        status: typeof statusNode?.value === 'number' ? statusNode.value : undefined,
        statusNode,
        subErrorCodeNode: child(element, ['subErrorCode']),
      });
    }
  }
  return {
    name, propertyNode: property, keyNode, valueNode,
    urlNode: child(valueNode, ['url']),
    payloadNode,
    payloadKeyNode: payloadNode ? propertyKey(owningProperty(payloadNode) as Node) : undefined,
    itemTemplateNode: child(valueNode, ['itemTemplate']),
    errorsNode,
    errors,
    copyErrorsFromNode: child(valueNode, ['copyErrorsFrom']),
  };
}

/** Reads what the analysis needs from the tree; tolerant of every shape a half-typed manifest can have. */
export function buildModel(doc: ManifestDocument): ManifestModel {
  const model: ManifestModel = { declarations: [], references: [], endpoints: [], parameterReferences: [], topLevel: [] };
  const root = doc.root;
  if (!root || root.type !== 'object') return model;
  model.topLevel = root.children ?? [];

  const kindNode = child(root, ['kind']);
  const kind = stringValue(kindNode);
  if (isKind(kind)) model.kind = kind;
  model.kindNode = kindNode;

  const methodNode = child(root, ['authentication', 'method']);
  const method = stringValue(methodNode);
  if (methodNode && isAuthMethod(method)) {
    model.authMethod = method;
    for (const variable of AUTH_VARIABLES[method]) {
      model.declarations.push({
        name: variable.name,
        source: 'authentication',
        displayName: stringValue(child(root, ['authentication', variable.displayNameKey])) ?? variable.defaultDisplayName,
        nameSpan: stringContentSpan(methodNode),
        path: ['authentication', 'method'],
        implicitlyUsed: variable.usedByAuthHeader,
        documentation: variable.documentation,
      });
    }
  }
  declareFields(root, 'customFields', 'customField', model.declarations);
  declareFields(root, 'mappingFields', 'mappingField', model.declarations);
  declareFields(root, 'parameters', 'parameter', model.declarations);

  const text = doc.text;
  const headers = child(root, ['headers']);
  if (headers?.type === 'object') for (const p of headers.children ?? []) scanNode(text, propertyValue(p), 'header', undefined, model.references);

  const endpoints = child(root, ['endpoints']);
  if (endpoints?.type === 'object') {
    for (const property of endpoints.children ?? []) {
      const name = stringValue(propertyKey(property));
      if (!(ENDPOINT_NAMES as readonly string[]).includes(name ?? '')) continue;
      const endpoint = readEndpoint(name as EndpointName, property);
      if (!endpoint) continue;
      model.endpoints.push(endpoint);
      scanNode(text, endpoint.urlNode, 'url', endpoint.name, model.references);
      scanNode(text, endpoint.payloadNode, 'payload', endpoint.name, model.references);
      scanNode(text, endpoint.itemTemplateNode, 'itemTemplate', endpoint.name, model.references);
    }
  }

  const request = child(root, ['request']);
  if (request?.type === 'object') {
    const scanParameters = (node: Node | undefined, part: 'url' | 'header') => forEachString(node, (s) => {
      const span = stringContentSpan(s);
      for (const match of scanParameterReferences(text.slice(span.start, span.end), span.start)) model.parameterReferences.push({ ...match, part });
    });
    scanParameters(child(request, ['url']), 'url');
    const requestHeaders = child(request, ['headers']);
    if (requestHeaders?.type === 'object') for (const p of requestHeaders.children ?? []) scanParameters(propertyValue(p), 'header');
  }
  return model;
}
