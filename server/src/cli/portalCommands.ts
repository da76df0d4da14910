import { randomBytes } from 'crypto';
import * as path from 'path';
import { decodeText, MAX_DATA_BYTES, MAX_TEXT_BYTES, readReference, readStandardInput } from '../base/files';
import { MANIFEST_KINDS, type ManifestKind } from '../manifest/model';
import { bodyTemplateReference, type StreamingModel } from '../manifest/streaming';
import { importCurl, payloadEntry } from '../portal/import';
import { portalHtml, portalMarkdown } from '../portal/render';
import { portalSheet } from '../portal/sheet';
import { fromPortalText } from '../portal/syntax';
import { choice, parseCommandArgs, readOptionFile, testValues } from './args';
import { UsageError, writeOutputFile, type Io } from './io';
import { importOperationCommand } from './importOperationCommand';
import { analyzeForTest, manifestScope } from './manifestFiles';

function bodyTemplateText(file: string, streaming: StreamingModel): string | undefined {
  const reference = bodyTemplateReference(streaming);
  if (!reference) return undefined;
  const read = readReference(reference, manifestScope(file), { maxBytes: MAX_TEXT_BYTES });
  return read.ok ? decodeText(read) : undefined;
}

/** `export <manifest> --format portal [--out file.html|file.md] [--values v.json]`: the portal hand-off sheet. */
export function exportCommand(args: string[], io: Io): number {
  const parsed = parseCommandArgs(args, {
    format: { type: 'string' },
    out: { type: 'string' },
    values: { type: 'string' },
  });
  const format = choice(parsed, 'format', ['portal', 'json'] as const, 'portal');
  const [file, ...extra] = parsed.positionals;
  if (!file || extra.length > 0) throw new UsageError('export needs one manifest.');
  const analysis = analyzeForTest(file);
  const values = parsed.values.has('values') ? testValues(parsed).variables : {};
  const sheet = portalSheet(analysis, bodyTemplateText(file, analysis.model.streaming), values);
  const out = parsed.values.get('out');
  let text: string;
  if (format === 'json') text = JSON.stringify(sheet, null, 2);
  else if (out && /\.html?$/i.test(out)) {
    const storageKey = `amplitude-portal:${sheet.displayName}:${sheet.version}`;
    text = portalHtml(sheet, { nonce: randomBytes(16).toString('base64'), storageKey });
  } else text = portalMarkdown(sheet);
  if (out) {
    writeOutputFile('--out', out, text);
    io.err(`${path.basename(file)}: ${sheet.sections.length} portal sections written to ${out}.`);
  } else io.out(text);
  return 0;
}

/** The text of `--name file`, or of standard input for `-`. */
function inputText(name: string, file: string): string {
  if (file !== '-') return readOptionFile(file, `The ${name} file`, MAX_DATA_BYTES);
  const text = readStandardInput(MAX_DATA_BYTES);
  if (text === undefined) throw new UsageError(`The ${name} on standard input is larger than 256 MB.`);
  return text;
}

/**
 * `import --payload file|-` (the portal editor's text) or `import --curl file|- [--kind k] [--endpoint e]`:
 * prints the manifest fragment to merge; what to check goes to standard error.
 */
export function importCommand(args: string[], io: Io): number | Promise<number> {
  const parsed = parseCommandArgs(args, {
    'api-description': { type: 'string' },
    operation: { type: 'string' },
    role: { type: 'string' },
    into: { type: 'string' },
    payload: { type: 'string' },
    'item-template': { type: 'string' },
    curl: { type: 'string' },
    kind: { type: 'string' },
    endpoint: { type: 'string' },
    'template-out': { type: 'string' },
  });
  const given = ['payload', 'item-template', 'curl', 'operation'].filter((k) => parsed.values.has(k));
  if (given.length !== 1)
    throw new UsageError(
      'import needs one of --payload, --item-template or --curl (a file, or - for stdin), or --operation.',
    );
  if (given[0] === 'operation') return importOperationCommand(parsed, io);
  const [what] = given;
  const source = inputText(what, parsed.values.get(what) ?? '-');
  if (what !== 'curl') {
    const imported = fromPortalText(source.trim());
    if (!imported.ok) throw new UsageError(`The ${what} is ${imported.problem}.`);
    const { entry, note } = payloadEntry(imported, what === 'payload' ? 'payload' : 'itemTemplate');
    io.out(JSON.stringify(entry, null, 2));
    if (note) io.err(note);
    return 0;
  }
  const kind: ManifestKind = choice(parsed, 'kind', MANIFEST_KINDS, 'cohort-list');
  const templateOut = parsed.values.get('template-out');
  let result;
  try {
    result = importCurl(source, {
      kind,
      endpoint: parsed.values.get('endpoint'),
      templateFile: templateOut ? path.basename(templateOut) : undefined,
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (result.template !== undefined && templateOut) writeOutputFile('--template-out', templateOut, result.template);
  io.out(JSON.stringify(result.fragment, null, 2));
  for (const note of result.notes) io.err(note);
  return 0;
}
