import { parseListIdPath } from '../../manifest/listIdPath';
import type { ManifestCheck } from '../types';

/** "Path to list ID in the response": a dot path (`audience.id`, `data[0].id`), read the way Test Endpoint reads it. */
export const listIdPathCheck: ManifestCheck = {
  codes: ['invalid-list-id-path'],
  run: ({ doc, model }) => {
    const creation = model.endpoints.find((e) => e.name === 'listCreation');
    const path = creation?.listIdPath;
    if (!creation || path === undefined) return [];
    const parsed = parseListIdPath(path);
    if (!('problem' in parsed)) return [];
    return [
      {
        ...doc.spanAt([...creation.path, 'listIdPath']),
        code: 'invalid-list-id-path',
        severity: 'error' as const,
        message:
          `listIdPath "${path}" cannot be read: ${parsed.problem}. Use keys and indexes such as ` +
          `data.list.id or data[0].id.`,
      },
    ];
  },
};
