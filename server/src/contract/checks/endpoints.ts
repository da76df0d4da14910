import type { ManifestDiagnostic } from '../../base/diagnostic';
import type { ContractCall, ContractCheck, ContractContext } from '../context';
import { operationName, urlQuery } from '../operations';

/** Each call of the manifest against the description's operations: method and path, then required parameters. */
export const endpointsCheck: ContractCheck = {
  codes: ['contract-no-operation', 'contract-method', 'contract-parameter'],
  run: (context) => {
    // Cohort calls share the top-level headers: a header they all lack is told once.
    const seen = new Set<string>();
    return context.calls
      .flatMap((call) => callFindings(context, call))
      .filter((d) => {
        const key = `${d.code}:${d.start}:${d.end}:${/"([^"]+)"/.exec(d.message)?.[1] ?? d.message}`;
        return seen.has(key) ? false : (seen.add(key), true);
      });
  },
};

function callFindings(context: ContractContext, call: ContractCall): ManifestDiagnostic[] {
  const { doc, description } = context;
  const { match } = call;
  const source = description.title ? `"${description.title}"` : 'the API description';
  if (match.operation) return missingParameters(context, call);
  if (match.why === 'method' && match.closest) {
    const methods = description.operations
      .filter((o) => o.path === match.closest?.path)
      .map((o) => o.method)
      .join(', ');
    return [
      {
        ...doc.spanAt([...call.path, 'method']),
        code: 'contract-method',
        severity: 'error',
        message:
          `${call.title} sends ${call.method}, but ${source} has ${match.closest.path} only with ${methods} ` +
          `(${operationName(match.closest)}): the API would answer 404 or 405.`,
      },
    ];
  }
  const closest = match.closest ? ` The closest is ${operationName(match.closest)}.` : '';
  return [
    {
      ...doc.spanAt([...call.path, 'url']),
      code: 'contract-no-operation',
      severity: 'error',
      message: `${call.title} calls ${call.method} ${call.url}, which matches no operation of ${source}.${closest}`,
    },
  ];
}

/** Headers Amplitude sets itself, whatever the manifest says. */
const SET_BY_AMPLITUDE = new Set(['authorization', 'content-type', 'user-agent', 'content-length', 'host']);

/** A required query parameter or header the call does not send. */
function missingParameters(context: ContractContext, call: ContractCall): ManifestDiagnostic[] {
  const operation = call.match.operation;
  if (!operation) return [];
  const query = urlQuery(call.url);
  const headers = new Set(Object.keys(call.headers).map((h) => h.toLowerCase()));
  const out: ManifestDiagnostic[] = [];
  for (const parameter of operation.parameters) {
    if (!parameter.required) continue;
    const name = parameter.name;
    if (parameter.in === 'query' && !query.has(name)) {
      out.push({
        ...context.doc.spanAt([...call.path, 'url']),
        code: 'contract-parameter',
        severity: 'error',
        message:
          `${operationName(operation)} requires the query parameter "${name}", and ${call.title}'s URL has ` +
          `none: add ?${name}=... (a value or a $variable).`,
      });
    } else if (
      parameter.in === 'header' &&
      !headers.has(name.toLowerCase()) &&
      !SET_BY_AMPLITUDE.has(name.toLowerCase())
    ) {
      const at = context.doc.nodeAt(call.headersPath) ? call.headersPath : [...call.path, 'url'];
      out.push({
        ...context.doc.keySpanAt(at),
        code: 'contract-parameter',
        severity: 'error',
        message:
          `${operationName(operation)} requires the header "${name}" (${call.title}), and the manifest does not ` +
          `send it: add it to ${call.headersPath.join('.')}.`,
      });
    }
  }
  return out;
}
