import * as fs from 'fs';
import { analyzeManifest, type ManifestAnalysis } from '../analysis';
import { decodeText, isInside, MAX_MANIFEST_BYTES, readUserFile, type FileScope } from '../base/files';
import { findFiles, MANIFEST_SUFFIX, SKIPPED_FOLDERS, workspaceRootOf } from '../base/walk';
import type { FileDiagnostic } from '../reports/finding';
import * as path from 'path';
import { nodeFiles } from '../base/files';
import { UsageError } from './io';

/**
 * The manifests a command line names: folders expanded, each file once. A link met in a folder is followed
 * only when it stays inside the folder's workspace (once, so a loop ends); a link to a manifest outside it is
 * refused with a finding and never read, a link to a folder outside it is noted and not walked.
 */
export interface FoundManifests {
  files: string[];
  refused: FileDiagnostic[];
  notes: string[];
}

function realpathOf(file: string): string | undefined {
  try {
    return fs.realpathSync.native(file);
  } catch {
    return undefined;
  }
}

class ManifestWalk implements FoundManifests {
  readonly files: string[] = [];
  readonly refused: FileDiagnostic[] = [];
  readonly notes: string[] = [];
  private readonly seen = new Set<string>();

  add(file: string): void {
    const real = realpathOf(file) ?? path.resolve(file);
    if (this.seen.has(real)) return;
    this.seen.add(real);
    this.files.push(file);
  }

  /** A folder named on the command line, and the folders inside its workspace that its links lead to. */
  walk(input: string): void {
    const root = realpathOf(workspaceRootOf(path.join(input, MANIFEST_SUFFIX))) ?? path.resolve(input);
    const shown = (real: string) => (path.isAbsolute(input) ? real : path.relative(process.cwd(), real) || real);
    const walked: string[] = [];
    const pending = [input];
    while (pending.length > 0) {
      const folder = pending.shift() as string;
      walked.push(realpathOf(folder) ?? path.resolve(folder));
      const links: string[] = [];
      for (const file of findFiles(folder, MANIFEST_SUFFIX, { onLink: (link) => links.push(link) })) this.add(file);
      for (const link of links) {
        const real = this.follow(link, root);
        if (real?.folder && !walked.some((done) => isInside(done, real.path))) pending.push(shown(real.path));
        else if (real && !real.folder) this.add(shown(real.path));
      }
    }
  }

  /** Where a link leads, if it is to be read: inside the workspace, a folder or a manifest. */
  private follow(link: string, root: string): { path: string; folder: boolean } | undefined {
    const manifest = link.endsWith(MANIFEST_SUFFIX);
    const real = realpathOf(link);
    let stat: fs.Stats | undefined;
    try {
      stat = real === undefined ? undefined : fs.statSync(real);
    } catch {
      stat = undefined;
    }
    if (real === undefined || stat === undefined) {
      if (manifest) this.refuse(link, 'file-unreadable', 'is a link to nothing (its target does not exist)');
      return undefined;
    }
    if (!isInside(root, real)) {
      if (stat.isDirectory()) this.notes.push(`${link}: a link to a folder outside the workspace, not walked.`);
      else if (manifest)
        this.refuse(
          link,
          'file-not-local',
          `is a link to a file outside the workspace (${root}), so it is not read or validated: ` +
            'copy it into the workspace, or name the file itself on the command line',
        );
      return undefined;
    }
    if (stat.isDirectory()) return SKIPPED_FOLDERS.has(path.basename(link)) ? undefined : { path: real, folder: true };
    if (!manifest) return undefined;
    if (stat.isFile()) return { path: real, folder: false };
    this.refuse(link, 'file-unreadable', 'is a link to something that is not a regular file, so it is not read');
    return undefined;
  }

  private refuse(link: string, code: string, reason: string): void {
    const start = { line: 0, character: 0 };
    this.refused.push({
      file: link,
      range: { start, end: start },
      severity: 'error',
      code,
      message: `${link} ${reason}.`,
    });
  }
}

/** Expands folders into the manifests under them; a named file is taken as it is (it is what the user asked for). */
export function findManifests(inputs: string[]): FoundManifests {
  const found = new ManifestWalk();
  for (const input of inputs) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(input);
    } catch {
      throw new UsageError(`${input}: no such file or folder.`);
    }
    if (stat.isDirectory()) found.walk(input);
    else found.add(input);
  }
  return found;
}

/** The manifests only (links refused in a folder are left out): for the bundled examples. */
export function collectManifests(inputs: string[]): string[] {
  return findManifests(inputs).files;
}

/** The folders a manifest's references may use: its own, inside its workspace (git root, else its folder). */
export function manifestScope(file: string): FileScope {
  return { baseDir: path.dirname(path.resolve(file)), rootDir: workspaceRootOf(file) };
}

/** A manifest named on the command line or found in a folder: a regular file under the size limit. */
export function readManifestText(file: string): string {
  const read = readUserFile(file, MAX_MANIFEST_BYTES);
  if (!read.ok) throw new UsageError(`${file} ${read.reason}.`);
  return decodeText(read);
}

/** A manifest read and analysed with its workspace's file rules. */
export function analyzeFile(file: string): ManifestAnalysis {
  return analyzeManifest(readManifestText(file), { ...manifestScope(file), files: nodeFiles });
}

/** A manifest a test or simulation can use: it parses (other errors are for `validate` to list). */
export function analyzeForTest(file: string): ManifestAnalysis {
  const analysis = analyzeFile(file);
  if (analysis.doc.syntaxProblems.length > 0) {
    const first = analysis.doc.syntaxProblems[0];
    const at = analysis.doc.lines.positionAt(first.start);
    throw new UsageError(
      `${file}:${at.line + 1}:${at.character + 1} is not valid JSON (${first.message}): run "validate".`,
    );
  }
  return analysis;
}
