import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { analyzeManifest } from '../analysis';
import { nodeFiles } from '../manifest/nodeFiles';
import { renderPreviewHtml } from '../preview/html';
import { dataUriResolver } from '../preview/images';
import { previewModel } from '../preview/model';
import { parseFlags, type Io } from './testCommands';
import { UsageError, workspaceRootOf } from './validate';

/** The preview as a standalone HTML page: the same renderer and escaping as the editor's panel. */
export function previewCommand(args: string[], io: Io): number {
  const flags = parseFlags(args, ['out']);
  const [file] = flags.positional;
  const out = flags.options.get('out');
  if (!file || !out) throw new UsageError('preview needs a manifest and --out <file.html>.');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`${file}: cannot be read.`);
  }
  const baseDir = path.dirname(path.resolve(file));
  const rootDir = workspaceRootOf(file);
  const analysis = analyzeManifest(text, { baseDir, rootDir, files: nodeFiles });
  const html = renderPreviewHtml(previewModel(analysis), {
    nonce: randomBytes(16).toString('base64'),
    images: dataUriResolver(baseDir, rootDir),
  });
  fs.writeFileSync(out, html);
  io.err(
    `Preview of ${file} written to ${out}${analysis.doc.syntaxProblems.length ? ' (the manifest has syntax errors: the preview shows what could be read)' : ''}.`,
  );
  return 0;
}
