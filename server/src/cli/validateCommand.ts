import * as path from 'path';
import { decodeText, MAX_TEXT_BYTES, readReference } from '../base/files';
import type { Severity } from '../base/diagnostic';
import { FreemarkerWorker, type EngineProblem } from '../freemarker/engine';
import { bodyTemplateReference } from '../manifest/usage';
import { LineIndex, type Range } from '../base/text';
import { engineChecks, engineUnavailable, inProcessSyntax } from '../templates/engineChecks';
import { checkTemplate, templateManifestFrom } from '../templates/templateAnalysis';
import { choice, parseCommandArgs } from './args';
import { LazyEngine } from './engine';
import { UsageError, type Io } from './io';
import { analyzeFile, collectManifests, manifestScope } from './manifestFiles';

export interface FileDiagnostic {
  file: string;
  range: Range;
  severity: Severity;
  code: string;
  message: string;
}

/** A streaming manifest's body template: the same static and engine checks as in the editor. */
async function validateTemplate(
  manifestFile: string,
  manifest: unknown,
  engine: () => FreemarkerWorker | EngineProblem,
): Promise<FileDiagnostic[]> {
  const body = bodyTemplateReference(manifest);
  if (!body) return [];
  const read = readReference(body, manifestScope(manifestFile), { maxBytes: MAX_TEXT_BYTES });
  if (!read.ok) return []; // reported on the manifest (file-not-local, template-missing, file-unreadable): never read
  const text = decodeText(read);
  const shown = path.relative(process.cwd(), read.path) || read.path;
  const found = checkTemplate(text, templateManifestFrom(path.basename(manifestFile), manifest));
  const worker = engine();
  found.push(
    ...(worker instanceof FreemarkerWorker
      ? await engineChecks(worker, path.basename(read.path), text, manifest)
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

/** A manifest's diagnostics, and its body template's when it names one. */
export async function validateFileAndTemplate(
  file: string,
  engine: () => FreemarkerWorker | EngineProblem,
): Promise<FileDiagnostic[]> {
  const analysis = analyzeFile(file);
  const diagnostics = analysis.diagnostics.map((d) => ({
    file,
    range: analysis.doc.lines.rangeOf(d),
    severity: d.severity,
    code: d.code,
    message: d.message,
  }));
  return [...diagnostics, ...(await validateTemplate(file, analysis.doc.value, engine))];
}

export function formatText(diagnostics: FileDiagnostic[]): string {
  return diagnostics
    .map(
      (d) => `${d.file}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity} ${d.code} ${d.message}`,
    )
    .join('\n');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export async function validateCommand(args: string[], io: Io): Promise<number> {
  const parsed = parseCommandArgs(args, { format: { type: 'string' }, jar: { type: 'string' } });
  const format = choice(parsed, 'format', ['text', 'json'] as const, 'text');
  if (parsed.positionals.length === 0) throw new UsageError('validate needs at least one file or folder.');
  const files = collectManifests(parsed.positionals);
  if (files.length === 0)
    throw new UsageError(`No *.amplitude.json manifests found in ${parsed.positionals.join(', ')}.`);
  // One FreeMarker worker for every template, started only if a streaming manifest names one.
  const engine = new LazyEngine(parsed.values.get('jar'));
  const diagnostics: FileDiagnostic[] = [];
  try {
    for (const file of files) diagnostics.push(...(await validateFileAndTemplate(file, () => engine.get())));
  } finally {
    engine.dispose();
  }
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  if (format === 'json') {
    io.out(JSON.stringify(diagnostics, null, 2));
  } else {
    if (diagnostics.length > 0) io.out(formatText(diagnostics));
    const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
    const other = diagnostics.length - errors - warnings;
    io.err(
      `${plural(files.length, 'manifest')} checked: ${plural(errors, 'error')}, ` +
        `${plural(warnings, 'warning')}, ${other} other.`,
    );
  }
  return errors > 0 ? 1 : 0;
}
