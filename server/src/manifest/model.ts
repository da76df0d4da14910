import type { JSONPath, Node } from 'jsonc-parser';
import type { ManifestDocument } from './document';
import { scanPortalText } from './portalText';
import type { Span } from '../base/text';
import { arrayAt, isObject, objectAt, stringAt, type JsonObject } from '../base/value';
import { AUTH_VARIABLES, scanParameterReferences, scanVariablesIn, type AuthMethod } from './variables';
import { readCohort, NO_COHORT, type CohortModel } from './cohort';
import { readIngestion, type IngestionModel } from './ingestion';
import { NO_STREAMING, readStreaming, type StreamingModel } from './streaming';

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
  readonly name: string;
  readonly source: DeclarationSource;
  readonly displayName: string;
  /** Path of the declared name (for auth variables, of the `method` value). */
  readonly path: JSONPath;
  /** The name as written, inside the quotes (computed on first use: it needs the offset tree). */
  readonly nameSpan: Span;
  /** Path of the whole array element, for "remove this declaration". Absent for auth variables. */
  readonly entryPath?: JSONPath;
  /** Auth variables that Amplitude puts in the Authorization header itself need no explicit use. */
  readonly implicitlyUsed: boolean;
  readonly documentation?: string;
}

export type UsePart = 'url' | 'header' | 'payload' | 'itemTemplate';

/** One `$name` in a URL, header or payload. Offsets are computed on first use. */
export interface VariableReference {
  readonly name: string;
  /** `-key` in `$api-key`: what a dash cut off. */
  readonly dashTail?: string;
  readonly endpoint?: EndpointName;
  readonly part: UsePart;
  /** Written in an object key (an unknown name there is sent as it is written). */
  readonly inKey: boolean;
  /** The string is this variable and nothing else: it stands for the variable's JSON value. */
  readonly whole: boolean;
  readonly start: number;
  readonly end: number;
}

/** One row of an endpoint's error classification table. */
export interface ErrorClassificationModel {
  path: JSONPath;
  status: number | undefined;
  /** Undefined when absent; any JSON value (the portal's is an object such as `{"error_code": 1000}`). */
  subErrorCode: unknown;
  hasSubErrorCode: boolean;
  failureReason?: string;
  message?: string;
}

/**
 * One cohort sync call (list creation, add users, remove users, update), in the portal's words. A field
 * that is missing, or not of its type, is undefined (the schema check reports it).
 */
export interface EndpointModel {
  name: EndpointName;
  path: JSONPath;
  /** The keys written in the endpoint's object, in order (a key can belong to another endpoint). */
  keys: readonly string[];
  url?: string;
  method?: string;
  /**
   * The JSON payload as written (`payload`): the partner's own JSON, any value, `$variables` in its strings.
   * Undefined when there is none.
   */
  payload?: unknown;
  /** The payload in the portal editor's text (`payloadText`): JSON once its variables have values. */
  payloadText?: string;
  /** The path to the list ID in list creation's response (`listIdPath`), as written. */
  listIdPath?: string;
  /** Users per call as written; Amplitude's default and maximum (10,000) are applied by whoever sends. */
  batchSize?: number;
  /** The array of items that replaces `$items`, one per user (`itemTemplate`): any JSON value. */
  itemTemplate?: unknown;
  /** The item template in the portal editor's text (`itemTemplateText`). */
  itemTemplateText?: string;
  errors: ErrorClassificationModel[];
  /** Whether `errors` is written as an array (its rows are `errors`). */
  errorsWritten: boolean;
  /**
   * "Copy errors from" as written, any value: the checks tell a name from a mistake (one that is no text is
   * still a copy that conflicts with the endpoint's own rows).
   */
  copyErrorsFrom: unknown;
}

export interface ParameterReference extends Span {
  name: string;
  part: 'url' | 'header';
}

/** The connection info every kind has: what the customer sees on the tile and in the setup modal. */
export interface ConnectionModel {
  displayName?: string;
  category?: string;
  summary?: string;
  description?: string;
  /** The PNG logo, relative to the manifest. */
  logo?: string;
}

export interface ManifestModel {
  kind?: ManifestKind;
  /** The integration version, as written (e.g. 1.2.1). */
  version?: string;
  connection: ConnectionModel;
  /** The partner's API description, relative to the manifest (`apiDescription`: this tool's key, not the portal's). */
  apiDescription?: string;
  authMethod?: AuthMethod;
  declarations: VariableDeclaration[];
  references: VariableReference[];
  endpoints: EndpointModel[];
  parameterReferences: ParameterReference[];
  /** Top-level keys, in order. */
  topLevelKeys: string[];
  /** Cohort syncs: the additional headers, custom fields and the "slugify cohort name" option. */
  cohort: CohortModel;
  /** Event streaming: the requests (events, identify), parameters, user property mappings, limits. */
  streaming: StreamingModel;
  /** Event ingestion: the partner id and the setup instructions. */
  ingestion: IngestionModel;
}

export function nodeSpan(node: Node): Span {
  return { start: node.offset, end: node.offset + node.length };
}

export function propertyKey(property: Node): Node | undefined {
  return property.type === 'property' ? property.children?.[0] : undefined;
}

export function propertyValue(property: Node): Node | undefined {
  return property.type === 'property' ? property.children?.[1] : undefined;
}

/**
 * Visits every string under `value` that holds `marker` (object keys included), with its path. One
 * shared path array, copied only for those strings: manifests can hold tens of thousands of values.
 * Recursion is safe here: the skim refuses nesting deeper than MAX_NESTING before anything walks it.
 */
export function forEachStringWith(
  marker: string,
  value: unknown,
  base: JSONPath,
  visit: (text: string, path: JSONPath, isKey: boolean) => void,
): void {
  const path: (string | number)[] = [...base];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      if (v.includes(marker)) visit(v, [...path], false);
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        path.push(i);
        walk(v[i]);
        path.pop();
      }
    } else if (isObject(v)) {
      for (const key of Object.keys(v)) {
        path.push(key);
        if (key.includes(marker)) visit(key, [...path], true);
        walk(v[key]);
        path.pop();
      }
    }
  };
  walk(value);
}

/** Where a reference was found: the string (or key) at `path`, its `occurrence`-th variable. */
interface ReferenceLocation {
  path: JSONPath;
  isKey: boolean;
  occurrence: number;
}

/** A `$name` found under a scanned value: all a reference needs but its document. */
interface FoundVariable {
  readonly name: string;
  readonly dashTail: string | undefined;
  readonly inKey: boolean;
  readonly whole: boolean;
  readonly location: ReferenceLocation;
}

/**
 * The variables found under each object or array, with the path it was scanned at. A parsed value is never
 * changed, and typing inside a string copies only the containers on the string's path
 * (ManifestDocument.afterStringEdit): the next analysis scans those again and reuses the rest.
 */
const FOUND_UNDER = new WeakMap<object, { at: string; found: readonly FoundVariable[] }>();

function variablesUnder(value: unknown, path: JSONPath): readonly FoundVariable[] {
  const container = typeof value === 'object' && value !== null ? value : undefined;
  const at = container ? JSON.stringify(path) : '';
  const cached = container && FOUND_UNDER.get(container);
  if (cached && cached.at === at) return cached.found;
  const found: FoundVariable[] = [];
  forEachStringWith('$', value, path, (text, stringPath, isKey) => {
    let occurrence = 0;
    scanVariablesIn(text, 0, text.length, (name, start, end, dashTail) => {
      const location = { path: stringPath, isKey, occurrence: occurrence++ };
      found.push({ name, dashTail, inKey: isKey, whole: start === 0 && end === text.length, location });
    });
  });
  if (container) FOUND_UNDER.set(container, { at, found });
  return found;
}

/** A reference whose offsets are found the first time they are read (most never are: only problems need them). */
class LazyReference implements VariableReference {
  private span: Span | undefined;

  constructor(
    private readonly found: FoundVariable,
    readonly part: UsePart,
    readonly endpoint: EndpointName | undefined,
    private readonly collector: ReferenceCollector,
  ) {}

  get name(): string {
    return this.found.name;
  }

  get dashTail(): string | undefined {
    return this.found.dashTail;
  }

  get inKey(): boolean {
    return this.found.inKey;
  }

  get whole(): boolean {
    return this.found.whole;
  }

  get start(): number {
    return (this.span ??= this.collector.spanOf(this.found.location)).start;
  }

  get end(): number {
    return (this.span ??= this.collector.spanOf(this.found.location)).end;
  }
}

/**
 * References are found in the decoded strings; their offsets in the raw text are found on first use,
 * all at once, by scanning each string's raw text (where an escape can make them differ, the whole
 * string is the range).
 */
class ReferenceCollector {
  readonly references: LazyReference[] = [];
  private readonly scanRoots: JSONPath[] = [];
  private locate: ((path: JSONPath, isKey: boolean) => Span | undefined) | undefined;
  /** The variables' spans in each string's raw text, by the string's start. */
  private readonly rawMatches = new Map<number, Span[]>();

  constructor(private readonly doc: ManifestDocument) {}

  /** A payload or item template in the portal editor's text: quoted and key-ness come from its own scan. */
  scanPortal(text: unknown, path: JSONPath, part: UsePart, endpoint: EndpointName | undefined): void {
    if (typeof text !== 'string' || !text.includes('$')) return;
    this.scanRoots.push(path);
    const holes = new Map(scanPortalText(text).map((hole) => [hole.start, hole]));
    let occurrence = 0;
    scanVariablesIn(text, 0, text.length, (name, start, _end, dashTail) => {
      const hole = holes.get(start);
      const location = { path, isKey: false, occurrence: occurrence++ };
      const found = { name, dashTail, inKey: hole?.inKey ?? false, whole: hole ? !hole.quoted : false, location };
      this.references.push(new LazyReference(found, part, endpoint, this));
    });
  }

  scan(value: unknown, path: JSONPath, part: UsePart, endpoint: EndpointName | undefined): void {
    this.scanRoots.push(path);
    for (const found of variablesUnder(value, path))
      this.references.push(new LazyReference(found, part, endpoint, this));
  }

  /**
   * The span of the string (or key) at a scanned path. Valid text is looked up in the compact offset
   * index, by id; broken text in jsonc's tree, indexed by path in one walk under the scanned roots
   * (a lookup per reference would rescan big objects).
   */
  private spanLocator(): (path: JSONPath, isKey: boolean) => Span | undefined {
    const offsets = this.doc.offsetIndex;
    if (offsets) {
      return (path, isKey) => {
        const id = offsets.find(path);
        if (id === undefined) return undefined;
        const target = isKey ? offsets.keyIdOf(id) : id;
        return target === undefined
          ? undefined
          : { start: offsets.offsetOf(target), end: offsets.offsetOf(target) + offsets.lengthOf(target) };
      };
    }
    const nodes = new Map<string, Node>();
    for (const rootKey of new Set(this.scanRoots.map((p) => p.join('\u0000')))) {
      const rootNode = this.doc.nodeAt(rootKey.split('\u0000'));
      if (!rootNode) continue;
      const stack: { node: Node; key: string }[] = [{ node: rootNode, key: rootKey }];
      while (stack.length > 0) {
        const { node, key } = stack.pop() as { node: Node; key: string };
        nodes.set(key, node);
        if (node.type === 'object') {
          for (const property of node.children ?? []) {
            const name = property.children?.[0];
            const value = property.children?.[1];
            if (name && value) stack.push({ node: value, key: `${key}\u0000${String(name.value)}` });
          }
        } else if (node.type === 'array') {
          node.children?.forEach((child, i) => stack.push({ node: child, key: `${key}\u0000${i}` }));
        }
      }
    }
    return (path, isKey) => {
      const valueNode = nodes.get(path.join('\u0000'));
      const node = isKey ? valueNode?.parent?.children?.[0] : valueNode;
      return node ? nodeSpan(node) : undefined;
    };
  }

  /** A reference's span in the raw text (the whole string where an escape makes the texts differ). */
  spanOf(location: ReferenceLocation): Span {
    const span = (this.locate ??= this.spanLocator())(location.path, location.isKey);
    if (!span) return { start: -1, end: -1 };
    let matches = this.rawMatches.get(span.start);
    if (!matches) {
      const found: Span[] = [];
      scanVariablesIn(this.doc.text, span.start + 1, span.end - 1, (_name, start, end) => found.push({ start, end }));
      this.rawMatches.set(span.start, (matches = found));
    }
    return matches[location.occurrence] ?? span;
  }
}

/** A declaration whose name span is found on first use. */
class Declaration implements VariableDeclaration {
  private span: Span | undefined;

  constructor(
    private readonly doc: ManifestDocument,
    readonly name: string,
    readonly source: DeclarationSource,
    readonly displayName: string,
    readonly path: JSONPath,
    readonly implicitlyUsed: boolean,
    readonly entryPath?: JSONPath,
    readonly documentation?: string,
  ) {}

  get nameSpan(): Span {
    return (this.span ??= this.doc.stringContentSpanAt(this.path));
  }
}

function isKind(value: string | undefined): value is ManifestKind {
  return (MANIFEST_KINDS as readonly string[]).includes(value ?? '');
}

function isAuthMethod(value: string | undefined): value is AuthMethod {
  return value === 'none' || value === 'basic' || value === 'header' || value === 'bearer';
}

function declareFields(
  doc: ManifestDocument,
  root: JsonObject,
  arrayKey: 'customFields' | 'mappingFields' | 'parameters',
  source: DeclarationSource,
  into: VariableDeclaration[],
): void {
  const array = arrayAt(root, arrayKey);
  if (!array) return;
  const nameKey = source === 'parameter' ? 'name' : 'variable';
  array.forEach((element, index) => {
    const name = stringAt(element, nameKey);
    if (!name) return;
    into.push(
      new Declaration(doc, name, source, stringAt(element, 'displayName') ?? name, [arrayKey, index, nameKey], false, [
        arrayKey,
        index,
      ]),
    );
  });
}

function declareAuthentication(doc: ManifestDocument, root: JsonObject, model: ManifestModel): void {
  const authentication = objectAt(root, 'authentication');
  const method = stringAt(authentication, 'method');
  if (!isAuthMethod(method)) return;
  model.authMethod = method;
  const path = ['authentication', 'method'];
  for (const variable of AUTH_VARIABLES[method]) {
    const displayName = stringAt(authentication, variable.displayNameKey) ?? variable.defaultDisplayName;
    const { name, usedByAuthHeader, documentation } = variable;
    model.declarations.push(
      new Declaration(doc, name, 'authentication', displayName, path, usedByAuthHeader, undefined, documentation),
    );
  }
}

function endpointModel(name: EndpointName, endpoint: JsonObject): EndpointModel {
  const path = ['endpoints', name];
  const errors = (arrayAt(endpoint, 'errors') ?? []).map((e, i): ErrorClassificationModel => ({
    path: [...path, 'errors', i],
    status: isObject(e) && typeof e.status === 'number' ? e.status : undefined,
    subErrorCode: isObject(e) ? e.subErrorCode : undefined,
    hasSubErrorCode: isObject(e) && e.subErrorCode !== undefined,
    failureReason: stringAt(e, 'failureReason'),
    message: stringAt(e, 'message'),
  }));
  const { batchSize } = endpoint;
  return {
    name,
    path,
    keys: Object.keys(endpoint),
    url: stringAt(endpoint, 'url'),
    method: stringAt(endpoint, 'method'),
    payload: endpoint.payload,
    payloadText: stringAt(endpoint, 'payloadText'),
    listIdPath: stringAt(endpoint, 'listIdPath'),
    batchSize: typeof batchSize === 'number' && Number.isFinite(batchSize) ? batchSize : undefined,
    itemTemplate: endpoint.itemTemplate,
    itemTemplateText: stringAt(endpoint, 'itemTemplateText'),
    errors,
    errorsWritten: Array.isArray(endpoint.errors),
    copyErrorsFrom: endpoint.copyErrorsFrom,
  };
}

/** Cohort endpoints and the `$variables` their URLs, headers and payloads use. */
function readEndpoints(doc: ManifestDocument, root: JsonObject, model: ManifestModel): void {
  const references = new ReferenceCollector(doc);
  const headers = objectAt(root, 'headers');
  for (const key of Object.keys(headers ?? {})) references.scan(headers?.[key], ['headers', key], 'header', undefined);
  const endpoints = objectAt(root, 'endpoints');
  for (const name of ENDPOINT_NAMES) {
    const endpoint = objectAt(endpoints, name);
    if (!endpoint) continue;
    const entry = endpointModel(name, endpoint);
    model.endpoints.push(entry);
    const path = entry.path;
    references.scan(endpoint.url, [...path, 'url'], 'url', name);
    references.scan(endpoint.payload, [...path, 'payload'], 'payload', name);
    references.scanPortal(endpoint.payloadText, [...path, 'payloadText'], 'payload', name);
    references.scan(endpoint.itemTemplate, [...path, 'itemTemplate'], 'itemTemplate', name);
    references.scanPortal(endpoint.itemTemplateText, [...path, 'itemTemplateText'], 'itemTemplate', name);
  }
  // Object key order, not the manifest's: keep endpoints in the order they were written.
  const order = endpoints ? Object.keys(endpoints) : [];
  model.endpoints.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
  model.references = references.references;
}

/** `${parameters.x}` in a streaming request's URL and headers (the body template is read elsewhere). */
function readRequestParameters(doc: ManifestDocument, request: JsonObject, path: JSONPath, model: ManifestModel): void {
  const scan = (value: unknown, at: JSONPath, part: 'url' | 'header') => {
    if (typeof value !== 'string' || !value.includes('parameters')) return;
    const span = doc.stringContentSpanAt(at);
    for (const match of scanParameterReferences(doc.text.slice(span.start, span.end), span.start))
      model.parameterReferences.push({ ...match, part });
  };
  scan(request.url, [...path, 'url'], 'url');
  const headers = objectAt(request, 'headers');
  for (const key of Object.keys(headers ?? {})) scan(headers?.[key], [...path, 'headers', key], 'header');
}

function readConnection(connection: JsonObject | undefined): ConnectionModel {
  return {
    displayName: stringAt(connection, 'displayName'),
    category: stringAt(connection, 'category'),
    summary: stringAt(connection, 'summary'),
    description: stringAt(connection, 'description'),
    logo: stringAt(connection, 'logo'),
  };
}

const DECLARED_VARIABLES = new WeakMap<ManifestModel, ReadonlySet<string>>();

/** The names a `$variable` can take: every declaration but streaming parameters. One set per model. */
export function declaredVariableNames(model: ManifestModel): ReadonlySet<string> {
  let names = DECLARED_VARIABLES.get(model);
  if (!names) {
    names = new Set(model.declarations.filter((d) => d.source !== 'parameter').map((d) => d.name));
    DECLARED_VARIABLES.set(model, names);
  }
  return names;
}

/** Reads what the analysis needs from the value; tolerant of every shape a half-typed manifest can have. */
export function buildModel(doc: ManifestDocument): ManifestModel {
  const model: ManifestModel = {
    declarations: [],
    references: [],
    endpoints: [],
    parameterReferences: [],
    topLevelKeys: [],
    connection: {},
    cohort: NO_COHORT,
    streaming: NO_STREAMING,
    ingestion: {},
  };
  const root = doc.value;
  if (!isObject(root)) return model;
  model.topLevelKeys = Object.keys(root);
  model.connection = readConnection(objectAt(root, 'connection'));
  model.cohort = readCohort(root);
  model.streaming = readStreaming(root);
  model.ingestion = readIngestion(root);
  const kind = stringAt(root, 'kind');
  if (isKind(kind)) model.kind = kind;
  model.version = stringAt(root, 'version');
  model.apiDescription = stringAt(root, 'apiDescription');
  declareAuthentication(doc, root, model);
  declareFields(doc, root, 'customFields', 'customField', model.declarations);
  declareFields(doc, root, 'mappingFields', 'mappingField', model.declarations);
  declareFields(doc, root, 'parameters', 'parameter', model.declarations);
  readEndpoints(doc, root, model);
  for (const key of ['request', 'identify']) {
    const request = objectAt(root, key);
    if (request) readRequestParameters(doc, request, [key], model);
  }
  return model;
}
