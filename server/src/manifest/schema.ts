import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { findNodeAtLocation, type JSONPath, type Node } from 'jsonc-parser';
import schemaJson from '../../../schemas/integration-manifest.schema.json';
import type { ManifestDocument } from './document';
import { nodeSpan, propertyKey } from './model';
import type { Span } from '../base/text';

export const MANIFEST_SCHEMA: Record<string, unknown> = schemaJson;
export const MANIFEST_SCHEMA_ID = 'https://amplitude-integrations.local/schemas/integration-manifest.schema.json';

export type SchemaProblemCode =
  'unknown-property' | 'missing-property' | 'wrong-type' | 'invalid-value' | 'out-of-range';

export interface SchemaProblem extends Span {
  code: SchemaProblemCode;
  message: string;
  /** For a misspelt key: the allowed name it most resembles. */
  suggestion?: string;
}

let compiled: ValidateFunction | undefined;

/**
 * Compiled once per process: ajv compilation costs far more than validation. Our own schema is checked
 * against the meta-schema by a test, not at every start, and the generated code is not optimised (a cold
 * `validate` spends more time optimising than the optimised code saves).
 */
function validator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv({
      allErrors: true,
      verbose: true,
      strict: false,
      allowUnionTypes: true,
      validateSchema: false,
      code: { optimize: false },
    });
    ajv.addVocabulary(['markdownDescription', 'markdownEnumDescriptions', 'defaultSnippets', 'deprecationMessage']);
    compiled = ajv.compile(MANIFEST_SCHEMA);
  }
  return compiled;
}

function pointerToPath(pointer: string): JSONPath {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => {
      const unescaped = segment.replace(/~1/g, '/').replace(/~0/g, '~');
      return /^\d+$/.test(unescaped) ? Number(unescaped) : unescaped;
    });
}

export function describePath(path: JSONPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out === '' ? 'the manifest' : `\`${out}\``;
}

/** The nearest node that exists for `path` (ajv can point into a value the tree does not hold). */
function nearestNode(root: Node, path: JSONPath): Node {
  for (let length = path.length; length >= 0; length--) {
    const node = findNodeAtLocation(root, path.slice(0, length));
    if (node) return node;
  }
  return root;
}

/** The key of the property that holds `node`, or the opening brace of the root object. */
function ownerKeySpan(node: Node): Span {
  const key = node.parent ? propertyKey(node.parent) : undefined;
  if (key) return nodeSpan(key);
  if (node.parent?.type === 'array') return { start: node.offset, end: node.offset + 1 };
  return { start: node.offset, end: node.offset + 1 };
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previousDiagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const saved = row[j];
      row[j] = Math.min(
        row[j] + 1,
        row[j - 1] + 1,
        previousDiagonal + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1),
      );
      previousDiagonal = saved;
    }
  }
  return row[b.length];
}

export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

function describeType(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

interface ErrorContext {
  error: ErrorObject;
  root: Node;
  path: JSONPath;
  where: string;
  node: Node;
  params: Record<string, unknown>;
}

type ErrorMapper = (context: ErrorContext) => SchemaProblem | undefined;

const lastSegment = (path: JSONPath) => String(path[path.length - 1]);
const keyNodeAt = (root: Node, path: JSONPath) => findNodeAtLocation(root, path)?.parent?.children?.[0];

const unknownProperty: ErrorMapper = ({ error, root, path, where, node, params }) => {
  const name = String(params.additionalProperty);
  const keyNode = keyNodeAt(root, [...path, name]);
  const allowed = Object.keys(
    (error.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {},
  );
  const suggestion = closestName(name, allowed);
  let hint = allowed.length ? ` Allowed here: ${allowed.map((a) => `"${a}"`).join(', ')}.` : '';
  if (suggestion) hint = ` Did you mean "${suggestion}"?`;
  return {
    ...(keyNode ? nodeSpan(keyNode) : ownerKeySpan(node)),
    code: 'unknown-property',
    message: `Unknown property "${name}" in ${where}.${hint}`,
    suggestion,
  };
};

/** The value as JSON would have it: jsonc gives containers no value. */
function valueOf(node: Node): unknown {
  if (node.type === 'object') return {};
  if (node.type === 'array') return [];
  return node.value as unknown;
}

const PATTERN_HINTS: [RegExp, string][] = [
  [/^version$/, ' Use a version such as 1.2.1.'],
  [/^bodyTemplate$/, ' Point it at a .ftl file.'],
  [/variable|name/, ' Use letters, digits and underscores only (a dash ends a variable name).'],
];

const pattern: ErrorMapper = ({ error, root, path, where, node }) => {
  if (error.propertyName !== undefined) {
    const keyNode = keyNodeAt(root, [...path, error.propertyName]);
    return {
      ...nodeSpan(keyNode ?? node),
      code: 'invalid-value',
      message: `"${error.propertyName}" is not a valid HTTP header name.`,
    };
  }
  const hint = PATTERN_HINTS.find(([test]) => test.test(lastSegment(path)))?.[1] ?? '';
  return { ...nodeSpan(node), code: 'invalid-value', message: `${where} does not have the expected form.${hint}` };
};

const twoForms: ErrorMapper = ({ root, path, where, node }) => {
  const both = ['payload', 'itemTemplate'].find(
    (k) => findNodeAtLocation(root, [...path, `${k}Text`]) && findNodeAtLocation(root, [...path, k]),
  );
  if (!both) return { ...ownerKeySpan(node), code: 'invalid-value', message: `${where} is not allowed in this form.` };
  const keyNode = keyNodeAt(root, [...path, `${both}Text`]);
  return {
    ...(keyNode ? nodeSpan(keyNode) : ownerKeySpan(node)),
    code: 'invalid-value',
    message:
      `"${both}" and "${both}Text" are two ways to write the same thing (JSON, or the portal ` +
      `editor's text): keep one.`,
  };
};

const outOfRange: ErrorMapper = ({ error, path, where, node }) => {
  const range =
    lastSegment(path) === 'batchSize'
      ? " Batch size must be between 1 and 10,000 (the default and Amplitude's recommendation is 10,000)."
      : '';
  return {
    ...nodeSpan(node),
    code: 'out-of-range',
    message: `${where} ${error.message ?? 'is out of range'}.${range}`,
  };
};

/** One mapper per ajv keyword: each says in the partner's words what is wrong and where. */
const MAPPERS: Record<string, ErrorMapper> = {
  additionalProperties: unknownProperty,
  required: ({ where, node, params }) => ({
    ...ownerKeySpan(node),
    code: 'missing-property',
    message: `Missing required property "${String(params.missingProperty)}" in ${where}.`,
  }),
  type: ({ where, node, params }) => ({
    ...nodeSpan(node),
    code: 'wrong-type',
    message: `${where} must be ${String(params.type).replace(/,/g, ' or ')}, not ${describeType(valueOf(node))}.`,
  }),
  enum: ({ where, node, params }) => ({
    ...nodeSpan(node),
    code: 'invalid-value',
    message: `${where} must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}.`,
  }),
  const: ({ where, node, params }) => ({
    ...nodeSpan(node),
    code: 'invalid-value',
    message: `${where} must be ${JSON.stringify(params.allowedValue)}.`,
  }),
  pattern,
  // Reported by the nested "pattern" error, which names the key.
  propertyNames: () => undefined,
  not: twoForms,
  minLength: ({ where, node }) => ({
    ...nodeSpan(node),
    code: 'invalid-value',
    message: `${where} must not be empty.`,
  }),
  maxLength: ({ where, node, params }) => ({
    ...nodeSpan(node),
    code: 'out-of-range',
    message: `${where} is too long: at most ${String(params.limit)} characters.`,
  }),
  minimum: outOfRange,
  maximum: outOfRange,
  exclusiveMinimum: outOfRange,
  exclusiveMaximum: outOfRange,
  minItems: ({ where, node, params }) => ({
    ...nodeSpan(node),
    code: 'out-of-range',
    message: `${where} needs at least ${String(params.limit)} item(s).`,
  }),
  oneOf: ({ where, node }) => ({
    ...nodeSpan(node),
    code: 'wrong-type',
    message: `${where} must be a string, or an object with "label" and "value".`,
  }),
};

function mapError(error: ErrorObject, root: Node): SchemaProblem | undefined {
  const path = pointerToPath(error.instancePath);
  const context: ErrorContext = {
    error,
    root,
    path,
    where: describePath(path),
    node: nearestNode(root, path),
    params: error.params as Record<string, unknown>,
  };
  const mapper = Object.hasOwn(MAPPERS, error.keyword) ? MAPPERS[error.keyword] : undefined;
  if (mapper) return mapper(context);
  return {
    ...nodeSpan(context.node),
    code: 'invalid-value',
    message: `${context.where} ${error.message ?? 'is invalid'}.`,
  };
}

/** Keeps one error per `oneOf` (not one per branch) and drops the `if` wrappers of `then` errors. */
function withoutBranchNoise(errors: ErrorObject[]): ErrorObject[] {
  const oneOfPaths = errors
    .filter((e) => e.keyword === 'oneOf')
    .map((e) => ({ schemaPath: e.schemaPath.replace(/\/oneOf$/, '/oneOf/'), instancePath: e.instancePath }));
  return errors.filter((e) => {
    if (e.keyword === 'if') return false;
    return !oneOfPaths.some((o) => e.schemaPath.startsWith(o.schemaPath) && e.instancePath.startsWith(o.instancePath));
  });
}

export function validateAgainstSchema(doc: ManifestDocument): SchemaProblem[] {
  if (doc.value === undefined || doc.tooDeep) return [];
  const validate = validator();
  if (validate(doc.value) || !doc.root) return [];
  const seen = new Set<string>();
  const problems: SchemaProblem[] = [];
  for (const error of withoutBranchNoise(validate.errors ?? [])) {
    const problem = mapError(error, doc.root);
    if (!problem) continue;
    const key = `${problem.start}:${problem.end}:${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  return problems;
}
