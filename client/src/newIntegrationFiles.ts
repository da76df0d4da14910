import * as fs from 'fs';
import * as path from 'path';
import { decodeText, MAX_TEXT_BYTES, readReference } from '../../server/src/base/files';
import { appendFileInside, writeFileInside } from '../../server/src/base/writes';
import type { ScaffoldFile } from '../../server/src/scaffold';

export type WrittenIntegration =
  | { ok: true; written: string[]; /** Why .gitignore was not changed, when it could not be. */ ignoreNote?: string }
  | { ok: false; message: string };

const IGNORE_LINES = '# Amplitude Test Endpoint: local test values\n.amplitude/\n';

function present(file: string): boolean {
  try {
    fs.lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

function listed(names: string[]): string {
  return names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/**
 * A new integration's files written into `folder`, none over anything already there (a file, a link or
 * a folder of that name: the user's own `<slug>-logo.png` is theirs). When one exists nothing is written and
 * the message says which; .gitignore is only added to, never replaced.
 */
export function writeNewIntegration(folder: string, files: ScaffoldFile[]): WrittenIntegration {
  const taken = files.map((file) => file.name).filter((name) => present(path.join(folder, name)));
  if (taken.length > 0) {
    const verb = taken.length === 1 ? 'exists' : 'exist';
    return {
      ok: false,
      message:
        `${listed(taken)} already ${verb} in ${folder}: nothing was written or overwritten. ` +
        'Choose another display name, or move the existing files away.',
    };
  }
  const written: string[] = [];
  for (const file of files) {
    const result = writeFileInside(file.name, file.content, { root: folder, rootName: 'the folder' });
    if (!result.ok) {
      const so = written.length ? ` (written before it: ${listed(written)})` : '';
      return { ok: false, message: `${file.name} ${result.reason}${so}.` };
    }
    written.push(file.name);
  }
  return { ok: true, written, ignoreNote: ignoreTestValues(folder) };
}

/** Test values (and secrets) for Test Endpoint never reach git: `.amplitude/` added to .gitignore. */
function ignoreTestValues(folder: string): string | undefined {
  const read = readReference('.gitignore', { baseDir: folder, rootDir: folder }, { maxBytes: MAX_TEXT_BYTES });
  const current = read.ok ? decodeText(read) : '';
  if (current.split(/\r?\n/).some((line) => line.trim() === '.amplitude/' || line.trim() === '.amplitude')) return;
  const prefix = current === '' || current.endsWith('\n') ? '' : '\n';
  const added = appendFileInside('.gitignore', `${prefix}${IGNORE_LINES}`, { root: folder, rootName: 'the folder' });
  return added.ok
    ? undefined
    : `.gitignore ${added.reason}: add ".amplitude/" to it yourself, so local test values never reach git.`;
}
