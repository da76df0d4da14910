import * as fs from 'fs';
import * as path from 'path';
import { locateEngine, FreemarkerWorker } from '../freemarker/engine';
import { SAMPLE_EVENTS } from '../freemarker/sampleEvents';
import { checkJson } from '../freemarker/streaming';
import { dataModelFor } from '../freemarker/dataModel';
import { parseManifest } from '../manifest/document';
import { objectAt, stringAt } from '../manifest/value';
import { parseFlags, type Io } from './testCommands';
import { MANIFEST_SUFFIX, UsageError } from './validate';

/** dist/freemarker, next to the bundled CLI. */
export const WORKER_DIR = path.join(__dirname, 'freemarker');

/** The manifest next to a template that names it as its body template. */
function findManifestFor(template: string): string | undefined {
  const dir = path.dirname(path.resolve(template));
  for (const name of fs.readdirSync(dir).filter((n) => n.endsWith(MANIFEST_SUFFIX))) {
    const file = path.join(dir, name);
    const value = parseManifest(fs.readFileSync(file, 'utf8')).value;
    const body = stringAt(objectAt(value, 'request'), 'bodyTemplate');
    if (body && path.resolve(dir, body) === path.resolve(template)) return file;
  }
  return undefined;
}

function readJsonObject(file: string, what: string): Record<string, unknown> {
  try {
    const value = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('not a JSON object');
    return value as Record<string, unknown>;
  } catch (error) {
    throw new UsageError(
      `${file}: the ${what} must be a JSON object (${error instanceof Error ? error.message : String(error)}).`,
    );
  }
}

export function workerFor(jar: string | undefined, timeoutMs: number): FreemarkerWorker {
  const location = locateEngine({ jar, workerDir: WORKER_DIR });
  if ('problem' in location) throw new UsageError(location.problem);
  return new FreemarkerWorker(location, timeoutMs);
}

export async function renderCommand(args: string[], io: Io): Promise<number> {
  const flags = parseFlags(args, ['manifest', 'event', 'sample', 'parameters', 'jar', 'timeout']);
  const [template] = flags.positional;
  if (!template) throw new UsageError('render needs a template (.ftl).');
  if (!fs.existsSync(template)) throw new UsageError(`${template}: no such file.`);
  const manifestFile = flags.options.get('manifest') ?? findManifestFor(template);
  const manifest = manifestFile ? parseManifest(fs.readFileSync(manifestFile, 'utf8')).value : undefined;
  const sampleName = flags.options.get('sample');
  const sample = sampleName
    ? SAMPLE_EVENTS.find((s) => s.name.toLowerCase() === sampleName.toLowerCase())
    : SAMPLE_EVENTS[0];
  if (!sample) throw new UsageError(`--sample must be one of: ${SAMPLE_EVENTS.map((s) => s.name).join(', ')}.`);
  const eventFile = flags.options.get('event');
  const event = eventFile ? readJsonObject(eventFile, 'event') : sample.event;
  const parameters = flags.options.get('parameters')
    ? readJsonObject(flags.options.get('parameters') as string, 'parameters')
    : {};
  const worker = workerFor(flags.options.get('jar'), Number(flags.options.get('timeout') ?? 5000));
  try {
    const result = await worker.render(
      path.basename(template),
      fs.readFileSync(template, 'utf8'),
      dataModelFor(manifest, event, Object.fromEntries(Object.entries(parameters).map(([k, v]) => [k, String(v)]))),
    );
    if (!result.ok) {
      const where = result.error.line ? `${template}:${result.error.line}:${result.error.column}: ` : `${template}: `;
      io.err(`${where}${result.error.message} (FreeMarker ${worker.version || 'engine'})`);
      return 1;
    }
    io.out(result.output);
    const problem = checkJson(result.output);
    if (problem) {
      io.err(`${template}: the output is not valid JSON (${problem}); Amplitude would send it as it is.`);
      return 1;
    }
    return 0;
  } finally {
    worker.dispose();
  }
}
