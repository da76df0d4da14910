import type { JSONPath } from 'jsonc-parser';
import { MAX_IMAGE_BYTES, MAX_TEXT_BYTES, type FileRefusal } from '../../base/files';
import { bodyTemplateReference } from '../../manifest/streaming';
import type { CheckContext, ManifestCheck, ManifestDiagnostic } from '../types';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

interface FileReference {
  value: string;
  path: JSONPath;
  what: string;
  missingCode: string;
  maxBytes: number;
}

function fileReferences({ model }: CheckContext): FileReference[] {
  const refs: FileReference[] = [];
  const add = (value: string | undefined, path: JSONPath, what: string, missingCode: string, maxBytes: number) => {
    if (value) refs.push({ value, path, what, missingCode, maxBytes });
  };
  add(model.connection.logo, ['connection', 'logo'], 'logo', 'logo-missing', MAX_IMAGE_BYTES);
  const template = bodyTemplateReference(model.streaming, 'events');
  add(template, ['request', 'bodyTemplate'], 'body template', 'template-missing', MAX_TEXT_BYTES);
  const identify = bodyTemplateReference(model.streaming, 'identify');
  add(identify, ['identify', 'bodyTemplate'], 'identify body template', 'template-missing', MAX_TEXT_BYTES);
  model.ingestion.setup?.steps.forEach((step, i) =>
    add(step.image, ['setup', 'steps', i, 'image'], `image of step ${i + 1}`, 'step-image-missing', MAX_IMAGE_BYTES),
  );
  return refs;
}

/** The code for a refused file: "not read" (file-not-local, file-unreadable) or "not there" (the kind's own). */
function refusalCode(refusal: FileRefusal, ref: FileReference): string {
  switch (refusal.code) {
    case 'not-local':
    case 'outside-workspace':
      return 'file-not-local';
    case 'missing':
      return ref.missingCode;
    default:
      return 'file-unreadable';
  }
}

/**
 * Logo, body template and step images: local files inside the workspace (symlinks resolved), regular
 * files under the size limit, and the logo a PNG. A file that breaks a rule is not read at all.
 */
export const filesCheck: ManifestCheck = {
  codes: [
    'file-not-local',
    'file-unreadable',
    'logo-missing',
    'logo-not-png',
    'template-missing',
    'step-image-missing',
  ],
  run: (context) => {
    const { scope, files } = context;
    if (!scope || !files) return [];
    const out: ManifestDiagnostic[] = [];
    for (const ref of fileReferences(context)) {
      const span = () => context.doc.spanAt(ref.path);
      const read = files.read(ref.value, scope, { maxBytes: ref.maxBytes, headBytes: PNG_SIGNATURE.length });
      if (!read.ok) {
        const code = refusalCode(read, ref);
        const notRead = code === 'file-not-local' ? ', so it is not read' : '';
        out.push({
          ...span(),
          code,
          severity: 'error',
          message: `The ${ref.what} "${ref.value}" ${read.reason}${notRead}.`,
        });
      } else if (ref.missingCode === 'logo-missing' && !PNG_SIGNATURE.every((byte, i) => read.bytes[i] === byte)) {
        out.push({
          ...span(),
          code: 'logo-not-png',
          severity: 'error',
          message: `The logo "${ref.value}" is not a PNG file: the portal accepts PNG logos only.`,
        });
      }
    }
    return out;
  },
};
