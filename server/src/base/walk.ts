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
  const walk = new Walk(folder, suffix, options);
  for (let current = walk.next(); current !== undefined; current = walk.next()) {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(current, { withFileTypes: true });
    } catch {
      continue;
    }
    walk.take(current, entries);
  }
  return walk.found;
}

/** One walk's state, shared by the blocking and the asynchronous walker: what is left, what was found. */
class Walk {
  readonly found: string[] = [];
  private readonly pending: string[];
  private readonly limit: number;

  constructor(
    folder: string,
    private readonly suffix: string,
    private readonly options: WalkOptions,
  ) {
    this.pending = [folder];
    this.limit = options.limit ?? Infinity;
  }

  /** The next folder to read, or undefined when the walk is done. */
  next(): string | undefined {
    return this.found.length < this.limit ? this.pending.pop() : undefined;
  }

  /** A folder's entries: matching files found, folders queued (in name order), links reported, never followed. */
  take(current: string, entries: fs.Dirent[]): void {
    const folders: string[] = [];
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory() && !SKIPPED_FOLDERS.has(entry.name)) folders.push(full);
      else if (entry.isFile() && entry.name.endsWith(this.suffix) && this.found.length < this.limit)
        this.found.push(full);
      else if (entry.isSymbolicLink()) this.options.onLink?.(full);
    }
    this.pending.push(...folders.reverse());
  }
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
  const walk = new Walk(folder, suffix, options);
  for (let current = walk.next(); current !== undefined; current = walk.next()) {
    if (options.stopped?.()) return undefined;
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(current, { withFileTypes: true });
    } catch {
      continue;
    }
    walk.take(current, entries);
  }
  return walk.found;
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
