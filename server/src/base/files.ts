import * as fs from 'fs';
import * as path from 'path';

/**
 * The one way this project reads a file it did not write: a manifest's logo, template or step image,
 * a CSV, test values, a sample event. Symlinks are resolved before anything is opened, the file must be
 * a regular file under a size limit, and a manifest's references must stay inside the workspace.
 * Anything else is refused with a sentence and nothing is read.
 */

export type FileRefusalCode = 'not-local' | 'outside-workspace' | 'missing' | 'not-a-file' | 'too-large' | 'unreadable';

export interface FileRefusal {
  ok: false;
  code: FileRefusalCode;
  /** Completes "The <what> ...": says why, never what the file holds. */
  reason: string;
}

export type FileRead = { ok: true; path: string; bytes: Uint8Array } | FileRefusal;
export type FileLocation = { ok: true; path: string } | FileRefusal;

/** Where a manifest's references may point: relative to its folder, never out of its workspace. */
export interface FileScope {
  /** The manifest's folder: references are relative to it. */
  baseDir: string;
  /** The workspace folder (the CLI: the git root, else the manifest's folder). */
  rootDir: string;
}

/** Read limits: big enough for any real template, image or user list, small enough for memory. */
export const MAX_TEXT_BYTES = 2 * 1024 * 1024;
export const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
export const MAX_DATA_BYTES = 256 * 1024 * 1024;

const refuse = (code: FileRefusalCode, reason: string): FileRefusal => ({ ok: false, code, reason });

/** True when `target` is `root` or inside it (a name such as `..foo` is inside). */
export function isInside(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  if (relative === '') return true;
  return !path.isAbsolute(relative) && relative !== '..' && !relative.startsWith(`..${path.sep}`);
}

function realpath(file: string): string | undefined {
  try {
    return fs.realpathSync.native(file);
  } catch {
    return undefined;
  }
}

/**
 * Where a manifest's reference points, checked without opening it: a relative path, inside the
 * workspace once every symlink on the way is resolved.
 */
export function locateReference(reference: string, scope: FileScope): FileLocation {
  if (/^[a-z][a-z0-9+.-]*:/i.test(reference) && !/^[a-z]:[\\/]/i.test(reference)) {
    return refuse(
      'not-local',
      'must be a path to a file in your workspace, not a URL: Amplitude needs the file itself, ' +
        'and nothing here loads remote content',
    );
  }
  if (path.isAbsolute(reference) || /^[a-z]:[\\/]/i.test(reference)) {
    return refuse('not-local', 'must be relative to the manifest, so it works on every clone');
  }
  const absolute = path.resolve(scope.baseDir, reference);
  const root = realpath(scope.rootDir) ?? path.resolve(scope.rootDir);
  if (!isInside(path.resolve(scope.rootDir), absolute))
    return refuse('outside-workspace', 'points outside the workspace');
  const real = realpath(absolute);
  if (real === undefined) return refuse('missing', `does not exist (looked for ${absolute})`);
  if (!isInside(root, real)) return refuse('outside-workspace', 'is a link to a file outside the workspace');
  return { ok: true, path: real };
}

/**
 * Reads at most `maxBytes` of a regular file. Opened without blocking (a FIFO never waits for a
 * writer), checked on the open descriptor (no swap between check and read), read up to the limit
 * whatever size the file claims (/proc files claim 0).
 */
export function readRegularFile(file: string, maxBytes: number, headBytes?: number): FileRead {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT'
      ? refuse('missing', `does not exist (looked for ${file})`)
      : refuse('unreadable', `cannot be read (${code ?? 'error'})`);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile())
      return refuse('not-a-file', 'is not a regular file (a device, pipe or folder), so it is not read');
    if (stat.size > maxBytes)
      return refuse(
        'too-large',
        `is larger than ${formatBytes(maxBytes)} (${formatBytes(stat.size)}), so it is not read`,
      );
    const bytes = readUpTo(fd, headBytes ?? maxBytes + 1, stat.size);
    if (headBytes === undefined && bytes.length > maxBytes) {
      return refuse('too-large', `is larger than ${formatBytes(maxBytes)}, so it is not read`);
    }
    return { ok: true, path: file, bytes };
  } catch (error) {
    return refuse('unreadable', `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  } finally {
    fs.closeSync(fd);
  }
}

/** Reads until end of file or `limit` bytes, in chunks: a file may hold more than its size says. */
function readUpTo(fd: number, limit: number, sizeHint: number): Uint8Array {
  const chunks: Buffer[] = [];
  let total = 0;
  while (total < limit) {
    const chunk = Buffer.allocUnsafe(Math.min(limit - total, Math.max(sizeHint - total + 1, 64 * 1024)));
    const read = fs.readSync(fd, chunk, 0, chunk.length, null);
    if (read === 0) break;
    chunks.push(chunk.subarray(0, read));
    total += read;
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
}

/** A manifest's reference, read under both rules: inside the workspace, a regular file under the limit. */
export function readReference(reference: string, scope: FileScope, limits: ReadLimits): FileRead {
  const located = locateReference(reference, scope);
  return located.ok ? readRegularFile(located.path, limits.maxBytes, limits.headBytes) : located;
}

export interface ReadLimits {
  /** Larger files are refused. */
  maxBytes: number;
  /** Read only this many bytes from the start (a signature check). */
  headBytes?: number;
}

/**
 * A file the user named themselves (a command-line argument, a file picked in a dialog): not bound to
 * the workspace, but still resolved, a regular file, and under the limit.
 */
export function readUserFile(file: string, maxBytes: number): FileRead {
  const real = realpath(file);
  if (real === undefined) return refuse('missing', `does not exist (looked for ${path.resolve(file)})`);
  return readRegularFile(real, maxBytes);
}

/**
 * Standard input, read a chunk at a time and stopped past `maxBytes` (a pipe can be endless): the text, or
 * undefined when it is larger.
 */
export function readStandardInput(maxBytes: number): string | undefined {
  const chunks: Buffer[] = [];
  const chunk = Buffer.alloc(64 * 1024);
  for (let total = 0; ;) {
    let n: number;
    try {
      n = fs.readSync(0, chunk, 0, chunk.length, null);
    } catch (error) {
      // A non-blocking stdin with nothing yet: ask again (readFileSync(0) does the same).
      if ((error as NodeJS.ErrnoException).code === 'EAGAIN') continue;
      if ((error as NodeJS.ErrnoException).code === 'EOF') break;
      throw error;
    }
    if (n === 0) break;
    total += n;
    if (total > maxBytes) return undefined;
    chunks.push(Buffer.from(chunk.subarray(0, n)));
  }
  return Buffer.concat(chunks).toString('utf8');
}

export type FileStream = { ok: true; path: string; stream: fs.ReadStream } | FileRefusal;

/**
 * A file the user named, as a stream of at most `maxBytes` (a user list of hundreds of MB is read a chunk at a
 * time, never whole): resolved, opened without blocking, a regular file under the limit, as readUserFile.
 */
export function streamUserFile(file: string, maxBytes: number): FileStream {
  const real = realpath(file);
  if (real === undefined) return refuse('missing', `does not exist (looked for ${path.resolve(file)})`);
  let fd: number;
  try {
    fd = fs.openSync(real, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (error) {
    return refuse('unreadable', `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const stat = fs.fstatSync(fd);
  let refusal: FileRefusal | undefined;
  if (!stat.isFile())
    refusal = refuse('not-a-file', 'is not a regular file (a device, pipe or folder), so it is not read');
  else if (stat.size > maxBytes)
    refusal = refuse(
      'too-large',
      `is larger than ${formatBytes(maxBytes)} (${formatBytes(stat.size)}), so it is not read`,
    );
  if (refusal) {
    fs.closeSync(fd);
    return refusal;
  }
  // `end` is inclusive: a file that grows after the check is still read only up to the limit.
  return { ok: true, path: real, stream: fs.createReadStream('', { fd, start: 0, end: maxBytes - 1 }) };
}

export function decodeText(read: { bytes: Uint8Array }): string {
  return Buffer.from(read.bytes.buffer, read.bytes.byteOffset, read.bytes.byteLength).toString('utf8');
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

/** The error a command reports for a refused file: `${what} ${reason}`. */
export class FileRefusedError extends Error {
  constructor(
    readonly what: string,
    readonly refusal: FileRefusal,
  ) {
    super(`${what} ${refusal.reason}.`);
  }
}

/** A user-named text file, or a FileRefusedError that says why not. */
export function readUserText(file: string, what: string, maxBytes = MAX_TEXT_BYTES): string {
  const read = readUserFile(file, maxBytes);
  if (!read.ok) throw new FileRefusedError(what, read);
  return decodeText(read);
}

/** What analysis may look at outside the text: the files a manifest references, under the rules above. */
export interface FileAccess {
  read(reference: string, scope: FileScope, limits: ReadLimits): FileRead;
}

/** FileAccess over the real disk, for the server and the CLI. */
export const nodeFiles: FileAccess = { read: readReference };
