import type { ManifestDiagnostic } from '../../base/diagnostic';
import { arrayAt, isObject } from '../../base/value';
import type { ContractCall, ContractCheck, ContractContext } from '../context';
import { operationName } from '../operations';

/** A documented 4xx/5xx answer of a cohort call with no row in its error table: information. */
export const errorTableCheck: ContractCheck = {
  codes: ['contract-error-row'],
  run: (context) => context.calls.flatMap((call) => callFindings(context, call)),
};

/** The statuses of a call's error table, its own or the one it copies (`copyErrorsFrom`). */
function tableStatuses(context: ContractContext, call: ContractCall): Set<number> | undefined {
  const endpoints =
    isObject(context.doc.value) && isObject(context.doc.value.endpoints) ? context.doc.value.endpoints : {};
  let value: unknown = call.value;
  for (let hops = 0; hops < 4 && isObject(value) && !Array.isArray(value.errors); hops++) {
    const from = value.copyErrorsFrom;
    value = typeof from === 'string' ? endpoints[from] : undefined;
  }
  const rows = arrayAt(value, 'errors');
  if (!rows) return undefined;
  return new Set(
    rows.map((r) => (isObject(r) ? r.status : undefined)).filter((s): s is number => typeof s === 'number'),
  );
}

function callFindings(context: ContractContext, call: ContractCall): ManifestDiagnostic[] {
  const operation = call.match.operation;
  if (!operation || call.role === 'events' || call.role === 'identify') return [];
  const statuses = tableStatuses(context, call);
  if (!statuses) return []; // no table at all: the manifest checks speak of it
  const missing = operation.responses.filter((r) => /^[45]\d\d$/.test(r.status) && !statuses.has(Number(r.status)));
  if (missing.length === 0) return [];
  const at = Array.isArray(call.value.errors) ? [...call.path, 'errors'] : [...call.path, 'copyErrorsFrom'];
  const listed = missing.map((r) => (r.description ? `${r.status} (${r.description})` : r.status)).join(', ');
  return [
    {
      ...context.doc.keySpanAt(at),
      code: 'contract-error-row',
      severity: 'information',
      message:
        `${operationName(operation)} documents ${listed}, which ${call.title}'s error table has no row for: ` +
        'add one so the customer reads what went wrong and what to do.',
    },
  ];
}
