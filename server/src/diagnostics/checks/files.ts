import * as path from 'path';
import type { JSONPath } from 'jsonc-parser';
import { arrayAt, objectAt, stringAt } from '../../manifest/value';
import type { CheckContext, ManifestCheck, ManifestDiagnostic } from '../types';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

interface FileReference {
  value: string;
  path: JSONPath;
  what: string;
  missingCode: string;
}

function fileReferences({ doc }: CheckContext): FileReference[] {
  const refs: FileReference[] = [];
  const add = (value: string | undefined, path: JSONPath, what: string, missingCode: string) => {
    if (value) refs.push({ value, path, what, missingCode });
  };
  add(stringAt(objectAt(doc.value, 'connection'), 'logo'), ['connection', 'logo'], 'logo', 'logo-missing');
  add(
    stringAt(objectAt(doc.value, 'request'), 'bodyTemplate'),
    ['request', 'bodyTemplate'],
    'body template',
    'template-missing',
  );
  arrayAt(objectAt(doc.value, 'setup'), 'steps')?.forEach((step, i) =>
    add(stringAt(step, 'image'), ['setup', 'steps', i, 'image'], `image of step ${i + 1}`, 'step-image-missing'),
  );
  return refs;
}

/** Paths are local files inside the manifest's workspace: no URLs, no absolute paths, no climbing out. */
function localProblem(value: string, baseDir: string, rootDir: string | undefined): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(value) && !/^[a-z]:[\\/]/i.test(value))
    return 'must be a path to a file in your workspace, not a URL: Amplitude needs the file itself, and the preview never loads remote content';
  if (path.isAbsolute(value)) return 'must be relative to the manifest, so it works on every clone';
  if (rootDir) {
    const relative = path.relative(rootDir, path.resolve(baseDir, value));
    if (relative.startsWith('..') || path.isAbsolute(relative)) return 'points outside the workspace';
  }
  return undefined;
}

/** Logo, body template and step images: they must exist next to the manifest, and the logo must be a PNG. */
export const filesCheck: ManifestCheck = {
  codes: ['file-not-local', 'logo-missing', 'logo-not-png', 'template-missing', 'step-image-missing'],
  run: (context) => {
    const { baseDir, files } = context;
    if (!baseDir || !files) return [];
    const out: ManifestDiagnostic[] = [];
    for (const ref of fileReferences(context)) {
      const value = ref.value;
      const span = () => context.doc.spanAt(ref.path);
      const notLocal = localProblem(value, baseDir, context.rootDir);
      if (notLocal) {
        out.push({ ...span(), code: 'file-not-local', severity: 'error', message: `The ${ref.what} ${notLocal}.` });
        continue;
      }
      const absolute = path.resolve(baseDir, value);
      const head = files.readHead(absolute, PNG_SIGNATURE.length);
      if (!head) {
        out.push({
          ...span(),
          code: ref.missingCode,
          severity: 'error',
          message: `The ${ref.what} "${value}" does not exist (looked for ${absolute}).`,
        });
      } else if (ref.missingCode === 'logo-missing' && !PNG_SIGNATURE.every((byte, i) => head[i] === byte)) {
        out.push({
          ...span(),
          code: 'logo-not-png',
          severity: 'error',
          message: `The logo "${value}" is not a PNG file: the portal accepts PNG logos only.`,
        });
      }
    }
    return out;
  },
};
