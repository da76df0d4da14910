import * as fs from 'fs';
import * as path from 'path';
import { analyzeManifest } from '../analysis';
import { nodeFiles } from '../manifest/nodeFiles';
import type { Range } from '../manifest/text';
import type { Severity } from '../diagnostics/types';
import { FreemarkerWorker, type EngineProblem } from '../freemarker/engine';
import { LineIndex } from '../manifest/text';
import { objectAt, stringAt } from '../manifest/value';
import { engineChecks, engineUnavailable, inProcessSyntax } from '../templates/engineChecks';
import { checkTemplate, templateManifestFrom } from '../templates/templateAnalysis';

export const MANIFEST_SUFFIX = '.amplitude.json';
const SKIPPED_FOLDERS = new Set(['node_modules', '.git', 'dist', 'out', '.vscode-test']);

export interface FileDiagnostic {
  file: string;
  range: Range;
  severity: Severity;
  code: string;
  message: string;
}

export class UsageError extends Error {}

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
    if (stat.isFile()) {
      found.push(input);
      continue;
    }
    const pending = [input];
    while (pending.length > 0) {
      const folder = pending.pop() as string;
      for (const entry of fs
        .readdirSync(folder, { withFileTypes: true })
        .sort((a, b) => a.name.localeCompare(b.name))) {
        const full = path.join(folder, entry.name);
        if (entry.isDirectory() && !SKIPPED_FOLDERS.has(entry.name)) pending.push(full);
        else if (entry.isFile() && entry.name.endsWith(MANIFEST_SUFFIX)) found.push(full);
      }
    }
  }
  return found;
}

/** The workspace a manifest belongs to, for the "stays inside the workspace" file rule: the git root, else its own folder. */
export function workspaceRootOf(file: string): string {
  let dir = path.dirname(path.resolve(file));
  for (let current = dir; ; current = path.dirname(current)) {
    if (fs.existsSync(path.join(current, '.git'))) return current;
    if (path.dirname(current) === current) return dir;
  }
}

/** A streaming manifest's body template: the same static and engine checks as in the editor. */
async function validateTemplate(
  manifestFile: string,
  manifest: unknown,
  engine: () => FreemarkerWorker | EngineProblem,
): Promise<FileDiagnostic[]> {
  const body = stringAt(objectAt(manifest, 'request'), 'bodyTemplate');
  if (!body) return [];
  const file = path.resolve(path.dirname(path.resolve(manifestFile)), body);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return []; // template-missing is reported on the manifest
  }
  const shown = path.relative(process.cwd(), file) || file;
  const found = checkTemplate(text, templateManifestFrom(path.basename(manifestFile), manifest));
  const worker = engine();
  found.push(
    ...(worker instanceof FreemarkerWorker
      ? await engineChecks(worker, path.basename(file), text, manifest)
      : [engineUnavailable(worker), ...inProcessSyntax(text)]),
  );
  const lines = new LineIndex(text);
  return found.map((d) => ({
    file: shown,
    range: lines.rangeOf(d),
    severity: d.severity,
    code: d.code,
    message: d.message,
  }));
}

export async function validateFileAndTemplate(
  file: string,
  engine: () => FreemarkerWorker | EngineProblem,
): Promise<FileDiagnostic[]> {
  const { diagnostics, value } = validateManifestFile(file);
  return [...diagnostics, ...(await validateTemplate(file, value, engine))];
}

export function validateFile(file: string): FileDiagnostic[] {
  return validateManifestFile(file).diagnostics;
}

function validateManifestFile(file: string): { diagnostics: FileDiagnostic[]; value: unknown } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}).`);
  }
  const analysis = analyzeManifest(text, {
    baseDir: path.dirname(path.resolve(file)),
    rootDir: workspaceRootOf(file),
    files: nodeFiles,
  });
  return {
    value: analysis.doc.value,
    diagnostics: analysis.diagnostics.map((d) => ({
      file,
      range: analysis.doc.lines.rangeOf(d),
      severity: d.severity,
      code: d.code,
      message: d.message,
    })),
  };
}

export function formatText(diagnostics: FileDiagnostic[]): string {
  return diagnostics
    .map(
      (d) => `${d.file}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity} ${d.code} ${d.message}`,
    )
    .join('\n');
}
