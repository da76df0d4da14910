import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { isInside } from './files';

/**
 * The one way this project writes a file, as `files.ts` is the one way to read one. A file is written
 * inside a root folder, never through a symbolic link (no folder below the root and not the file itself
 * may be a link: a repository someone else wrote can ship `.amplitude/` or `report.sarif` as a link into
 * the home folder), never onto a device, pipe or socket, and never over an existing file unless the
 * caller says the user asked for that very file (`replace`). A replaced file is written beside and
 * renamed over (a rename replaces a link itself, never what it points to); a new one is created with
 * O_EXCL | O_NOFOLLOW (it fails on anything already there, link included). Anything else is refused with
 * a sentence and nothing is written.
 */

export type WriteRefusalCode = 'outside-root' | 'through-link' | 'not-a-file' | 'exists' | 'no-folder' | 'unwritable';

export interface WriteRefusal {
  ok: false;
  code: WriteRefusalCode;
  /** Completes "The <what> ...": says why, never what the file was to hold. */
  reason: string;
}

export type FileWrite = { ok: true; path: string; created: boolean } | WriteRefusal;

export interface WriteOptions {
  /**
   * The folder the file must stay in. The root itself is trusted (a workspace may be opened through a
   * link); every folder below it on the way to the file must be a real folder.
   */
  root: string;
  /** How a message names the root: "the workspace", "the current folder". */
  rootName?: string;
  /** The user asked for this very file: an existing regular file is replaced. Otherwise it is refused. */
  replace?: boolean;
  /** Folders missing between the root and the file are made (with `folderMode`). */
  makeFolders?: boolean;
  folderMode?: number;
  /** Permissions of a new file (less the umask); a replaced file keeps its own. */
  mode?: number;
}

const refuse = (code: WriteRefusalCode, reason: string): WriteRefusal => ({ ok: false, code, reason });

const O_NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;
const O_NONBLOCK = fs.constants.O_NONBLOCK ?? 0;
const CREATE_NEW = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | O_NOFOLLOW;

const ERRNO_WORDS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EFBIG: 'the file would be larger than allowed',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  EISDIR: 'it is a folder',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'it is a link',
};

function errnoOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? 'error';
}

function unwritable(error: unknown): WriteRefusal {
  const code = errnoOf(error);
  const words = ERRNO_WORDS[code];
  return refuse('unwritable', `could not be written (${words ? `${code}: ${words}` : code})`);
}

function lstatOrUndefined(file: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(file);
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return undefined;
    throw error;
  }
}

function throughLink(root: string, link: string): WriteRefusal {
  const shown = path.relative(root, link) || link;
  return refuse(
    'through-link',
    `would be written through a link (${shown} is a symbolic link), so nothing is written: ` +
      'a link can point anywhere, even outside the workspace',
  );
}

/** Each folder from just below `root` down to `folder`: a real folder (made when asked), never a link. */
function checkFolders(root: string, folder: string, options: WriteOptions): WriteRefusal | undefined {
  const relative = path.relative(root, folder);
  let current = root;
  for (const part of relative === '' ? [] : relative.split(path.sep)) {
    current = path.join(current, part);
    let stat = lstatOrUndefined(current);
    if (stat === undefined) {
      if (!options.makeFolders) return refuse('no-folder', `cannot be written: the folder ${current} does not exist`);
      try {
        fs.mkdirSync(current, { mode: options.folderMode ?? 0o777 });
      } catch (error) {
        if (errnoOf(error) !== 'EEXIST') return unwritable(error);
      }
      stat = fs.lstatSync(current);
    }
    if (stat.isSymbolicLink()) return throughLink(root, current);
    if (!stat.isDirectory()) return refuse('no-folder', `cannot be written: ${current} is not a folder`);
  }
  // Every step was a real folder; the real path says so too (nothing was swapped in meanwhile).
  const realRoot = fs.realpathSync.native(root);
  if (!isInside(realRoot, fs.realpathSync.native(folder))) return throughLink(root, folder);
  return undefined;
}

/** The file's place, checked: inside the root, its folders real, itself absent or a regular file. */
function checkTarget(target: string, options: WriteOptions): { file: string; existing?: fs.Stats } | WriteRefusal {
  const root = path.resolve(options.root);
  const file = path.resolve(root, target);
  if (file === root || !isInside(root, file)) {
    return refuse('outside-root', `is outside ${options.rootName ?? 'the folder it must stay in'} (${root})`);
  }
  let rootStat: fs.Stats;
  try {
    rootStat = fs.statSync(root);
  } catch {
    return refuse('no-folder', `cannot be written: the folder ${root} does not exist`);
  }
  if (!rootStat.isDirectory()) return refuse('no-folder', `cannot be written: ${root} is not a folder`);
  const folders = checkFolders(root, path.dirname(file), options);
  if (folders) return folders;
  const existing = lstatOrUndefined(file);
  if (existing?.isSymbolicLink()) return throughLink(root, file);
  if (existing && !existing.isFile()) {
    return refuse(
      'not-a-file',
      'exists and is not a regular file (a device, pipe, socket or folder): nothing is written',
    );
  }
  return { file, existing };
}

/** Writes every byte to an open descriptor, then flushes it to the disk (a full disk shows here, not later). */
function writeAll(fd: number, bytes: Uint8Array): void {
  fs.writeFileSync(fd, bytes);
  try {
    fs.fsyncSync(fd);
  } catch (error) {
    if (!['EINVAL', 'ENOTSUP', 'EROFS'].includes(errnoOf(error))) throw error;
  }
}

function closeQuietly(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    // already closed: the close itself was what failed
  }
}

/** A new file, created only if nothing (not even a link) has that name. Removed again if writing fails. */
function createNew(file: string, bytes: Uint8Array, mode: number): WriteRefusal | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, CREATE_NEW, mode);
  } catch (error) {
    if (errnoOf(error) === 'EEXIST') return refuse('exists', 'already exists, and it is not replaced');
    return unwritable(error);
  }
  try {
    writeAll(fd, bytes);
    fs.closeSync(fd);
    return undefined;
  } catch (error) {
    closeQuietly(fd);
    fs.rmSync(file, { force: true });
    return unwritable(error);
  }
}

/**
 * Written beside, checked again, renamed over: never through a link, and a reader (or a full disk) never
 * leaves half a file.
 */
function replaceFile(file: string, bytes: Uint8Array, mode: number): WriteRefusal | undefined {
  const partial = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.partial`);
  const created = createNew(partial, bytes, mode);
  if (created) return created.code === 'exists' ? unwritable({ code: 'EEXIST' }) : created;
  try {
    const now = lstatOrUndefined(file);
    if (now && !now.isFile()) {
      fs.rmSync(partial, { force: true });
      return refuse('not-a-file', 'was changed into a link or a special file while it was written: nothing is written');
    }
    fs.renameSync(partial, file);
    return undefined;
  } catch (error) {
    fs.rmSync(partial, { force: true });
    return unwritable(error);
  }
}

function bytesOf(content: string | Uint8Array): Uint8Array {
  return typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
}

/** Writes `content` to `target` (absolute, or relative to the root) under the rules above. */
export function writeFileInside(target: string, content: string | Uint8Array, options: WriteOptions): FileWrite {
  try {
    const checked = checkTarget(target, options);
    if ('ok' in checked) return checked;
    const { file, existing } = checked;
    if (existing && !options.replace) return refuse('exists', 'already exists, and it is not replaced');
    const mode = existing ? existing.mode & 0o777 : (options.mode ?? 0o666);
    const failed = options.replace
      ? replaceFile(file, bytesOf(content), mode)
      : createNew(file, bytesOf(content), mode);
    return failed ?? { ok: true, path: file, created: !existing };
  } catch (error) {
    return unwritable(error);
  }
}

/**
 * Adds `content` at the end of `target` (made when missing), under the same rules: nothing already in
 * the file is lost, so no `replace` is needed. Opened without following a link and without blocking (a
 * FIFO swapped in meanwhile fails rather than waits), checked on the open descriptor.
 */
export function appendFileInside(
  target: string,
  content: string | Uint8Array,
  options: Omit<WriteOptions, 'replace'>,
): FileWrite {
  try {
    const checked = checkTarget(target, options);
    if ('ok' in checked) return checked;
    const { file, existing } = checked;
    if (!existing) {
      const failed = createNew(file, bytesOf(content), options.mode ?? 0o666);
      return failed ?? { ok: true, path: file, created: true };
    }
    const fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_APPEND | O_NOFOLLOW | O_NONBLOCK);
    try {
      if (!fs.fstatSync(fd).isFile()) {
        return refuse(
          'not-a-file',
          'exists and is not a regular file (a device, pipe, socket or folder): nothing is written',
        );
      }
      writeAll(fd, bytesOf(content));
    } finally {
      fs.closeSync(fd);
    }
    return { ok: true, path: file, created: false };
  } catch (error) {
    return unwritable(error);
  }
}

/**
 * The root for a file the user named themselves (a command-line option, a Save dialog): its own folder
 * when the path is absolute (the user chose where), else `cwd`, which a relative path must not leave.
 */
export function userFileRoot(file: string, cwd = process.cwd()): Pick<WriteOptions, 'root' | 'rootName'> {
  return path.isAbsolute(file)
    ? { root: path.dirname(file), rootName: 'its folder' }
    : { root: cwd, rootName: 'the current folder (name an absolute path to write elsewhere)' };
}

/** The error a command reports for a refused write: `${what} ${reason}.` */
export class FileWriteRefusedError extends Error {
  constructor(
    readonly what: string,
    readonly refusal: WriteRefusal,
  ) {
    super(`${what} ${refusal.reason}.`);
  }
}

/** writeFileInside, or a FileWriteRefusedError that says why not. */
export function writeFileOrThrow(what: string, target: string, content: string | Uint8Array, options: WriteOptions) {
  const written = writeFileInside(target, content, options);
  if (!written.ok) throw new FileWriteRefusedError(what, written);
  return written;
}
