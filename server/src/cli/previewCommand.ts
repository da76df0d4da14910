import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { analyzeManifest } from '../analysis';
import { nodeFiles } from '../base/files';
import { renderPreviewHtml } from '../preview/html';
import { dataUriResolver } from '../preview/images';
import { previewModel } from '../preview/model';
import { parseCommandArgs } from './args';
import { UsageError, writeOutputFile, type Io } from './io';
import { manifestScope, readManifestText } from './manifestFiles';

/** `--out` must name a new or existing HTML page, never the manifest or another source file. */
function checkOutput(out: string, manifest: string): void {
  if (!/\.html?$/i.test(out)) throw new UsageError(`--out must name an .html file, not "${out}".`);
  const same = (a: string, b: string) => {
    try {
      return fs.realpathSync(a) === fs.realpathSync(b);
    } catch {
      return path.resolve(a) === path.resolve(b);
    }
  };
  if (same(out, manifest)) throw new UsageError('--out names the manifest itself: choose another file.');
  try {
    if (!fs.lstatSync(out).isFile()) throw new UsageError(`--out ${out} exists and is not a regular file.`);
  } catch (error) {
    if (error instanceof UsageError) throw error;
  }
}

/** The preview as a standalone HTML page: the same renderer and escaping as the editor's panel. */
export function previewCommand(args: string[], io: Io): number {
  const parsed = parseCommandArgs(args, { out: { type: 'string' } });
  const [file] = parsed.positionals;
  const out = parsed.values.get('out');
  if (!file || !out) throw new UsageError('preview needs a manifest and --out <file.html>.');
  checkOutput(out, file);
  const scope = manifestScope(file);
  const analysis = analyzeManifest(readManifestText(file), { ...scope, files: nodeFiles });
  const html = renderPreviewHtml(previewModel(analysis), {
    nonce: randomBytes(16).toString('base64'),
    images: dataUriResolver(scope),
  });
  writeOutputFile('--out', out, html);
  const partial = analysis.doc.syntaxProblems.length
    ? ' (the manifest has syntax errors: the preview shows what could be read)'
    : '';
  io.err(`Preview of ${file} written to ${out}${partial}.`);
  return 0;
}
