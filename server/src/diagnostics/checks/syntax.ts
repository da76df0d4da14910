import type { ManifestCheck } from '../types';

/** JSON syntax, and nesting too deep to analyse. */
export const syntaxCheck: ManifestCheck = {
  codes: ['syntax-error', 'too-deep'],
  run: ({ doc }) =>
    doc.syntaxProblems.map((p) => ({
      start: p.start,
      end: p.end,
      message: p.message,
      severity: 'error',
      code: doc.tooDeep ? 'too-deep' : 'syntax-error',
    })),
};
