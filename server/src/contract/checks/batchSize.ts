import type { ManifestDiagnostic } from '../../base/diagnostic';
import type { ContractCheck } from '../context';
import { operationName } from '../operations';
import { rule } from '../violations';
import { isUserArray } from './requestBody';

/** The batch size against the request schema's `maxItems` for the array of users. */
export const batchSizeCheck: ContractCheck = {
  codes: ['contract-batch-size'],
  run: (context) => {
    const out: ManifestDiagnostic[] = [];
    const seen = new Set<string>();
    for (const v of context.violations) {
      if (v.error.keyword !== 'maxItems' || !isUserArray(v)) continue;
      const operation = v.body.call.match.operation;
      if (!operation || seen.has(v.body.call.role)) continue;
      seen.add(v.body.call.role);
      const batchPath = [...v.body.call.path, 'batchSize'];
      const written = context.doc.nodeAt(batchPath) !== undefined;
      const size = Array.isArray(v.value) ? v.value.length : 0;
      out.push({
        ...(written ? context.doc.spanAt(batchPath) : context.doc.keySpanAt(v.body.call.path)),
        code: 'contract-batch-size',
        severity: 'error',
        message:
          `${v.body.call.title} sends up to ${size.toLocaleString('en-US')} users per request ` +
          `(batchSize${written ? '' : ', by default'}), but ${operationName(operation)} takes at most ` +
          `${String(v.error.params.limit)} in /${v.pointer.join('/')} (${rule(v.error)}): set batchSize to ` +
          `${String(v.error.params.limit)} or less.`,
      });
    }
    return out;
  },
};
