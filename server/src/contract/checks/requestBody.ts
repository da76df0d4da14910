import type { ManifestDiagnostic } from '../../base/diagnostic';
import type { ContractCheck, ContractContext, Violation } from '../context';
import { editDistance, operationName } from '../operations';
import { rule, shown } from '../violations';

/** Every body Amplitude would send against the operation's request schema: keys, types, values, unknown keys. */
export const requestBodyCheck: ContractCheck = {
  codes: ['contract-body-missing-key', 'contract-body-type', 'contract-body-value', 'contract-body-unknown-key'],
  run: (context) => dedupe(context.violations.flatMap((v) => finding(context, v) ?? [])),
};

/** Keywords about a value's content: they speak only of values written in the manifest or rendered by the engine. */
const VALUE_KEYWORDS = new Set([
  'enum',
  'const',
  'format',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
]);

function spanOf(context: ContractContext, v: Violation, onKey = v.source.onKey) {
  return onKey ? context.doc.keySpanAt(v.source.path) : context.doc.spanAt(v.source.path);
}

function where(v: Violation): string {
  const at = v.pointer.length > 0 ? `/${v.pointer.join('/')}` : 'the top level';
  return `${at} of ${v.body.label}`;
}

function finding(context: ContractContext, v: Violation): ManifestDiagnostic | undefined {
  const operation = v.body.call.match.operation;
  if (!operation) return undefined;
  const op = operationName(operation);
  const { keyword, params } = v.error;
  const title = v.body.call.title;
  if (keyword === 'required') {
    const key = String(params.missingProperty);
    return {
      ...spanOf(context, v, true),
      code: 'contract-body-missing-key',
      severity: 'error',
      message: `${title} leaves out "${key}", which ${op} requires (${rule(v.error)}), at ${where(v)}.`,
    };
  }
  if (keyword === 'type') {
    if (v.source.kind === 'variable' && v.source.variable === 'list_id' && !context.listIdTyped) return undefined;
    const sent = jsonType(v.value);
    const from = v.source.variable ? ` (from $${v.source.variable})` : '';
    return {
      ...spanOf(context, v),
      code: 'contract-body-type',
      severity: 'error',
      message:
        `${title} sends ${shown(v.value)}, a JSON ${sent}${from}, where ${op} wants ${shown(params.type)} ` +
        `(${rule(v.error)}), at ${where(v)}.`,
    };
  }
  if (keyword === 'additionalProperties' || keyword === 'unevaluatedProperties') return unknownKey(context, v, op);
  if (!VALUE_KEYWORDS.has(keyword) || (v.source.kind !== 'literal' && v.source.kind !== 'rendered')) return undefined;
  return {
    ...spanOf(context, v),
    code: 'contract-body-value',
    severity: 'error',
    message:
      `${title} sends ${shown(v.value)}, which ${op} refuses: ${v.error.message ?? keyword} ` +
      `(${rule(v.error)}), at ${where(v)}.`,
  };
}

/** The array is the users of the batch (`$items`), whose length is the batch size: contract-batch-size's. */
export function isUserArray(v: Violation): boolean {
  return v.source.kind === 'variable' && v.source.variable === 'items';
}

function unknownKey(context: ContractContext, v: Violation, op: string): ManifestDiagnostic {
  const key = String(v.error.params.additionalProperty ?? v.error.params.unevaluatedProperty);
  const known = Object.keys((v.error.parentSchema?.properties as Record<string, unknown> | undefined) ?? {});
  const closest = known
    .map((name) => ({ name, d: editDistance(name.toLowerCase(), key.toLowerCase()) }))
    .sort((a, b) => a.d - b.d)[0];
  const hint = closest && closest.d <= Math.max(2, key.length / 3) ? ` Did you mean "${closest.name}"?` : '';
  const keyPath = [...v.source.path, key];
  const span =
    v.source.kind === 'literal' && context.doc.nodeAt(keyPath)
      ? context.doc.keySpanAt(keyPath)
      : spanOf(context, v, true);
  const listed = known.length > 0 ? ` It takes ${known.map((k) => `"${k}"`).join(', ')}.` : '';
  return {
    ...span,
    code: 'contract-body-unknown-key',
    severity: 'error',
    message:
      `${v.body.call.title} sends "${key}", a key ${op} does not allow (${rule(v.error)}), ` +
      `at ${where(v)}.${listed}${hint}`,
  };
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}

function dedupe(found: ManifestDiagnostic[]): ManifestDiagnostic[] {
  const seen = new Set<string>();
  return found.filter((d) => {
    const key = `${d.code}:${d.start}:${d.end}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
