import { MAX_IMAGE_BYTES, locateReference, readReference, type FileScope } from '../base/files';

const TYPES: { signature: number[]; mime: string }[] = [
  { signature: [0x89, 0x50, 0x4e, 0x47], mime: 'image/png' },
  { signature: [0xff, 0xd8, 0xff], mime: 'image/jpeg' },
  { signature: [0x47, 0x49, 0x46, 0x38], mime: 'image/gif' },
];

/**
 * The real path of a referenced image when the workspace rules allow it (relative, inside the
 * workspace once links are resolved, existing); undefined for URLs, absolute paths and the rest.
 */
export function localImagePath(reference: string, scope: FileScope): string | undefined {
  const located = locateReference(reference, scope);
  return located.ok ? located.path : undefined;
}

/** A standalone page's images: embedded as data URIs (PNG, JPEG, GIF only, up to 5 MB). */
export function dataUriResolver(scope: FileScope): (reference: string) => string | undefined {
  return (reference) => {
    const read = readReference(reference, scope, { maxBytes: MAX_IMAGE_BYTES });
    if (!read.ok) return undefined;
    const bytes = read.bytes;
    const type = TYPES.find((t) => t.signature.every((b, i) => bytes[i] === b));
    return type ? `data:${type.mime};base64,${Buffer.from(bytes).toString('base64')}` : undefined;
  };
}
