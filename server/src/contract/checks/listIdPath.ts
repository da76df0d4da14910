import type { ContractCheck } from '../context';
import { operationName } from '../operations';
import { listIdSchema, schemaType } from '../responses';

/** listIdPath against list creation's documented 2xx answer: the path is there, and it is a scalar. */
export const listIdPathCheck: ContractCheck = {
  codes: ['contract-list-id-path'],
  run: ({ doc, calls }) => {
    const creation = calls.find((c) => c.role === 'listCreation');
    const operation = creation?.match.operation;
    const found = creation ? listIdSchema(creation) : undefined;
    if (!creation || !operation || !found) return [];
    const written = doc.nodeAt([...creation.path, 'listIdPath']) !== undefined;
    const span = written ? doc.spanAt([...creation.path, 'listIdPath']) : doc.keySpanAt(creation.path);
    const shown = written ? `listIdPath "${found.listIdPath}"` : `listIdPath (default "${found.listIdPath}")`;
    const answer = `the ${found.status} answer of ${operationName(operation)}`;
    if ('missing' in found) {
      return [
        {
          ...span,
          code: 'contract-list-id-path',
          severity: 'error',
          message:
            `${shown} is not in ${answer}: at ${found.missing} it has ` +
            `${found.known.map((k) => `"${k}"`).join(', ')}. ` +
            'Amplitude would find no list id and every sync would fail.',
        },
      ];
    }
    if (!('schema' in found)) return [];
    const type = schemaType(found.schema);
    if (type !== 'object' && type !== 'array') return [];
    return [
      {
        ...span,
        code: 'contract-list-id-path',
        severity: 'error',
        message: `${shown} names ${type === 'object' ? 'an object' : 'an array'} in ${answer}, not the list id itself.`,
      },
    ];
  },
};
