import { execFile } from 'child_process';
import * as path from 'path';

/** What git says, or why it could not: the manifest's folder is the repository to ask. */
function git(args: string[], cwd: string): Promise<{ ok: true; text: string } | { ok: false; problem: string }> {
  return new Promise((resolve) => {
    execFile(
      'git',
      args,
      { cwd, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, timeout: 20_000 },
      (error, stdout, stderr) => {
        if (error) resolve({ ok: false, problem: stderr.trim() || error.message });
        else resolve({ ok: true, text: stdout });
      },
    );
  });
}

/** The repository's tags, newest first: the last release is the first. */
export async function releaseTags(file: string): Promise<string[]> {
  const answer = await git(['tag', '--sort=-creatordate'], path.dirname(file));
  return answer.ok ? answer.text.split('\n').filter(Boolean).slice(0, 50) : [];
}

/** A revision git reads as one (never an option such as --output=...). */
export function isRevision(revision: string): boolean {
  return /^[\w./@^~{}-]+$/.test(revision) && !revision.startsWith('-');
}

/** The file's text at a revision (a tag, a branch, a commit). */
export function textAtRevision(file: string, revision: string) {
  if (!isRevision(revision))
    return Promise.resolve({ ok: false as const, problem: `"${revision}" is not a git revision.` });
  return git(['show', `${revision}:./${path.basename(file)}`], path.dirname(file));
}
