import * as fs from 'fs';
import { analyzeManifest, type ManifestAnalysis } from '../analysis';
import { decodeText, MAX_MANIFEST_BYTES, readUserFile, type FileScope } from '../base/files';
import { findFiles, MANIFEST_SUFFIX, workspaceRootOf } from '../base/walk';
import * as path from 'path';
import { nodeFiles } from '../base/files';
import { UsageError } from './io';

/** Expands folders into the manifests under them; a named file is taken as it is. */
export function collectManifests(inputs: string[]): string[] {
  const found: string[] = [];
  for (const input of inputs) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(input);
    } catch {
      throw new UsageError(`${input}: no such file or folder.`);
    }
    if (stat.isDirectory()) found.push(...findFiles(input, MANIFEST_SUFFIX));
    else found.push(input);
  }
  return found;
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
