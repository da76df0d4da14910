import * as fs from 'fs';
import * as path from 'path';

/** Folders no manifest lives in: dependencies, build output, editors' downloads. */
export const SKIPPED_FOLDERS: ReadonlySet<string> = new Set([
  'node_modules',
  '.git',
  'dist',
  'out',
  '.vscode-test',
  '.amplitude',
]);

export const MANIFEST_SUFFIX = '.amplitude.json';

export interface WalkOptions {
  /** Stop after this many files (a huge folder opened by mistake). */
  limit?: number;
  /** Each symlink met on the way (never followed here): the caller decides what a link means. */
  onLink?: (link: string) => void;
}

/**
 * The files under `folder` whose names end in `suffix`, sorted, skipping SKIPPED_FOLDERS. Symlinks are
 * not followed (a link out of the workspace, or a loop, is never walked). The one walker the CLI and the
 * language server share.
 */
export function findFiles(folder: string, suffix: string, options: WalkOptions = {}): string[] {
  const found: string[] = [];
  const limit = options.limit ?? Infinity;
  const pending = [folder];
  while (pending.length > 0 && found.length < limit) {
    const current = pending.pop() as string;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(current, { withFileTypes: true });
    } catch {
      continue;
    }
    const folders: string[] = [];
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory() && !SKIPPED_FOLDERS.has(entry.name)) folders.push(full);
      else if (entry.isFile() && entry.name.endsWith(suffix) && found.length < limit) found.push(full);
      else if (entry.isSymbolicLink()) options.onLink?.(full);
    }
    pending.push(...folders.reverse());
  }
  return found;
}

/**
 * findFiles without blocking: each folder is read asynchronously, so a server walking 240,000 files keeps
 * answering requests between reads. `stopped` is asked between folders (a newer walk makes this one moot).
 */
export async function findFilesAsync(
  folder: string,
  suffix: string,
  options: WalkOptions & { stopped?: () => boolean } = {},
): Promise<string[] | undefined> {
  const found: string[] = [];
  const limit = options.limit ?? Infinity;
  const pending = [folder];
  while (pending.length > 0 && found.length < limit) {
    if (options.stopped?.()) return undefined;
    const current = pending.pop() as string;
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(current, { withFileTypes: true });
    } catch {
      continue;
    }
    const folders: string[] = [];
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory() && !SKIPPED_FOLDERS.has(entry.name)) folders.push(full);
      else if (entry.isFile() && entry.name.endsWith(suffix) && found.length < limit) found.push(full);
    }
    pending.push(...folders.reverse());
  }
  return found;
}

/** Whether a file's path crosses a folder no walk enters (node_modules, .git, ...) below `root`. */
export function inSkippedFolder(root: string, file: string): boolean {
  return path
    .relative(root, path.dirname(file))
    .split(path.sep)
    .some((part) => SKIPPED_FOLDERS.has(part));
}

/** The workspace a file belongs to, for "references stay inside the workspace": the git root, else its folder. */
export function workspaceRootOf(file: string): string {
  const dir = path.dirname(path.resolve(file));
  for (let current = dir; ; current = path.dirname(current)) {
    if (fs.existsSync(path.join(current, '.git'))) return current;
    if (path.dirname(current) === current) return dir;
  }
}
