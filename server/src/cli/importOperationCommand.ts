import * as path from 'path';
import { writeFileInside } from '../base/writes';
import { descriptionSource, loadFromSource } from '../contract';
import { ENDPOINT_ROLES, importOperation, type EndpointRole } from '../contract/importOperation';
import { importInto } from '../contract/importInto';
import { analyzeManifest } from '../analysis';
import type { Parsed } from './args';
import { UsageError, writeOutputFile, type Io } from './io';
import { manifestScope, readManifestText } from './manifestFiles';

function roleOption(parsed: Parsed): EndpointRole | undefined {
  const role = parsed.values.get('role');
  if (role === undefined) return undefined;
  if (!(ENDPOINT_ROLES as readonly string[]).includes(role))
    throw new UsageError(`--role must be one of ${ENDPOINT_ROLES.join(', ')}.`);
  return role as EndpointRole;
}

/** The description `--api-description` names, or the one the `--into` manifest's apiDescription names. */
async function loadDescription(parsed: Parsed, into: string | undefined, manifestText: string | undefined) {
  const flag = parsed.values.get('api-description');
  const scope = manifestScope(into ?? path.join(process.cwd(), 'manifest'));
  const named =
    manifestText === undefined ? {} : { apiDescription: analyzeManifest(manifestText).model.apiDescription };
  const source = descriptionSource(named, scope, flag);
  if (!source)
    throw new UsageError('import --operation needs --api-description (or an --into manifest that names one).');
  const load = await loadFromSource(source);
  if (!load.description) throw new UsageError(load.problems.map((p) => p.message).join(' '));
  const file = 'file' in source ? source.file : '';
  return { description: load.description, file, warnings: load.problems.map((p) => p.message) };
}

/**
 * `import --api-description spec.yaml --operation <operationId | "METHOD /path"> [--role r] [--into m.json]
 * [--template-out body.ftl]`: the operation as a manifest endpoint, printed, or merged into the manifest.
 */
export async function importOperationCommand(parsed: Parsed, io: Io): Promise<number> {
  const reference = parsed.values.get('operation') ?? '';
  const into = parsed.values.get('into');
  const manifestText = into === undefined ? undefined : readManifestText(into);
  const { description, file, warnings } = await loadDescription(parsed, into, manifestText);
  for (const warning of warnings) io.err(warning);
  const templateOut = parsed.values.get('template-out');
  const imported = importOperation(description, reference, {
    role: roleOption(parsed),
    manifest: manifestText,
    templateFile: templateOut === undefined ? undefined : path.basename(templateOut),
  });
  if ('problem' in imported) throw new UsageError(imported.problem);
  const notes = [...imported.notes];
  if (into === undefined || manifestText === undefined) {
    io.out(JSON.stringify(imported.fragment, null, 2));
    if (imported.template && templateOut) writeOutputFile('--template-out', templateOut, imported.template.text);
    else if (imported.template) io.out(imported.template.text);
  } else {
    const folder = path.dirname(path.resolve(into));
    const merged = importInto(manifestText, imported, path.relative(folder, file).split(path.sep).join('/'));
    writeOutputFile('--into', into, merged.text);
    notes.push(...merged.notes);
    if (imported.template) notes.push(writeTemplate(folder, templateOut, imported.template));
    io.err(
      `${path.basename(into)}: ${imported.role} written from ${imported.operation.method} ${imported.operation.path}.`,
    );
  }
  for (const note of notes) io.err(note);
  return 0;
}

/** The streaming body template beside the manifest; an existing file is kept, never overwritten unasked. */
function writeTemplate(folder: string, templateOut: string | undefined, template: { file: string; text: string }) {
  if (templateOut) {
    writeOutputFile('--template-out', templateOut, template.text);
    return `The body template skeleton is in ${templateOut}.`;
  }
  const written = writeFileInside(path.join(folder, template.file), template.text, { root: folder });
  if (written.ok) return `The body template skeleton is in ${template.file}.`;
  return `${template.file} was not written: it ${written.reason}. Name another file with --template-out.`;
}
