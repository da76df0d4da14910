import * as fs from 'fs';
import * as path from 'path';

const TYPES: { signature: number[]; mime: string }[] = [
  { signature: [0x89, 0x50, 0x4e, 0x47], mime: 'image/png' },
  { signature: [0xff, 0xd8, 0xff], mime: 'image/jpeg' },
  { signature: [0x47, 0x49, 0x46, 0x38], mime: 'image/gif' },
];

/**
 * The absolute path of a referenced image when it is a local file inside `rootDir`; undefined for
 * URLs, absolute paths, anything outside the workspace, and missing files.
 */
export function localImagePath(reference: string, baseDir: string, rootDir: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(reference) || path.isAbsolute(reference)) return undefined;
  const absolute = path.resolve(baseDir, reference);
  const relative = path.relative(rootDir, absolute);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  try {
    const real = fs.realpathSync(absolute);
    const realRelative = path.relative(fs.realpathSync(rootDir), real);
    return realRelative.startsWith('..') || path.isAbsolute(realRelative) || !fs.statSync(real).isFile()
      ? undefined
      : real;
  } catch {
    return undefined;
  }
}

/** A standalone page's images: embedded as data URIs (PNG, JPEG, GIF only, up to 5 MB). */
export function dataUriResolver(baseDir: string, rootDir: string): (reference: string) => string | undefined {
  return (reference) => {
    const file = localImagePath(reference, baseDir, rootDir);
    if (!file || fs.statSync(file).size > 5 * 1024 * 1024) return undefined;
    const bytes = fs.readFileSync(file);
    const type = TYPES.find((t) => t.signature.every((b, i) => bytes[i] === b));
    return type ? `data:${type.mime};base64,${bytes.toString('base64')}` : undefined;
  };
}
