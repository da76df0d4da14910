import { decodeText, MAX_TEXT_BYTES, readReference } from '../../../server/src/base/files';
import { writeFileInside, type WriteRefusal } from '../../../server/src/base/writes';

/** The workspace's folder for Test Endpoint's local values; it ignores itself in git. */
export const VALUES_FOLDER = '.amplitude';
export const VALUES_FILE = `${VALUES_FOLDER}/test-values.json`;
const IGNORE_FILE = `${VALUES_FOLDER}/.gitignore`;
const IGNORE_TEXT = '# Local test values for Amplitude Test Endpoint: never commit.\n*\n';

/** Manifest (as the workspace names it) -> field name -> value. Secrets are never here. */
export type ValuesFile = Record<string, Record<string, string>>;

/** What could not be written, and why: a sentence for the user. */
export interface ValuesNotSaved {
  file: string;
  refusal: WriteRefusal;
}

export function notSavedMessage(notSaved: ValuesNotSaved): string {
  return `${notSaved.file} ${notSaved.refusal.reason}.`;
}

/**
 * The values file of the workspace at `root`, read under base/files' rules (inside the workspace, a regular
 * file, bounded): anything else reads as no values.
 */
export function readTestValues(root: string): ValuesFile {
  const read = readReference(VALUES_FILE, { baseDir: root, rootDir: root }, { maxBytes: MAX_TEXT_BYTES });
  if (!read.ok) return {};
  try {
    const parsed = JSON.parse(decodeText(read)) as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as ValuesFile) : {};
  } catch {
    return {};
  }
}

/**
 * Writes the values file, and the folder's .gitignore when there is none yet (one the user edited is left as
 * it is). Nothing goes through a link: a repository can ship `.amplitude`, its .gitignore or the values file as
 * a link to a file in the home folder. When the .gitignore cannot be made, the values are not written either:
 * they would not be ignored.
 */
export function saveTestValues(root: string, all: ValuesFile): ValuesNotSaved | undefined {
  const options = { root, rootName: 'the workspace', makeFolders: true, folderMode: 0o700 };
  const ignore = writeFileInside(IGNORE_FILE, IGNORE_TEXT, options);
  if (!ignore.ok && ignore.code !== 'exists') return { file: IGNORE_FILE, refusal: ignore };
  const values = writeFileInside(VALUES_FILE, `${JSON.stringify(all, null, 2)}\n`, {
    ...options,
    replace: true,
    mode: 0o600,
  });
  return values.ok ? undefined : { file: VALUES_FILE, refusal: values };
}
