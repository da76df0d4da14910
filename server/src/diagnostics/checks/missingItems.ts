import type { ManifestCheck, ManifestDiagnostic } from '../types';

const BATCH_ENDPOINTS = new Set(['addUsers', 'removeUsers', 'update']);

/** Add, remove and update calls carry the batch of users: without `$items` the users never reach the partner. */
export const missingItemsCheck: ManifestCheck = {
  codes: ['missing-items'],
  run: ({ doc, model }) => {
    const out: ManifestDiagnostic[] = [];
    for (const endpoint of model.endpoints) {
      if (!BATCH_ENDPOINTS.has(endpoint.name)) continue;
      const hasItems = model.references.some(
        (r) => r.endpoint === endpoint.name && r.part !== 'itemTemplate' && r.name === 'items' && !r.dashTail,
      );
      if (hasItems) continue;
      const payloadKey = endpoint.keys.includes('payloadText') ? 'payloadText' : 'payload';
      const hasPayload = endpoint.keys.includes(payloadKey);
      out.push({
        ...doc.keySpanAt(hasPayload ? [...endpoint.path, payloadKey] : endpoint.path),
        code: 'missing-items',
        severity: 'error',
        message: hasPayload
          ? `The ${endpoint.name} payload does not use $items: the batch of users would never be sent. Add ` +
            `for example "userIds": "$items".`
          : `The ${endpoint.name} endpoint has no payload: add one that uses $items, for example { ` +
            `"userIds": "$items" }.`,
      });
    }
    return out;
  },
};
