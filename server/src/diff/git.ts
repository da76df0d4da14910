import { execFile } from 'child_process';
import * as path from 'path';

type GitAnswer = { ok: true; text: string } | { ok: false; problem: string };

/** What git says, or why it could not: the manifest's folder is the repository to ask. */
function git(args: string[], cwd: string): Promise<GitAnswer> {
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

/**
 * A revision git reads as one: never an option such as --output=..., and never path-shaped (`..`, `./x`,
 * `/x`, `a/`): git reads `..` as an empty range and shows nothing, which would compare with an empty manifest.
 * No branch or tag name can look like that (git check-ref-format).
 */
export function isRevision(revision: string): boolean {
  return /^[\w./@^~{}-]+$/.test(revision) && !revision.startsWith('-') && !/^[./]|\.\.|\/\/|\/\.|[./]$/.test(revision);
}

/** The commit a revision names, or why it names none. */
async function commitOf(revision: string, cwd: string): Promise<GitAnswer> {
  const commit = await git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${revision}^{commit}`], cwd);
  if (commit.ok && /^[0-9a-f]{40,64}\s*$/.test(commit.text)) return { ok: true, text: commit.text.trim() };
  const inRepository = await git(['rev-parse', '--git-dir'], cwd);
  if (!inRepository.ok) return { ok: false, problem: `cannot be read from git (${inRepository.problem})` };
  return { ok: false, problem: `cannot be read from git ("${revision}" is not a commit, tag or branch here)` };
}

/**
 * The file's text at a revision (a tag, a branch, a commit), or a sentence saying why not: a revision that
 * names no commit, or whose commit does not hold the file as a file, is an error, never an empty text.
 */
export async function textAtRevision(file: string, revision: string): Promise<GitAnswer> {
  if (!isRevision(revision)) return { ok: false, problem: `"${revision}" is not a git revision` };
  const cwd = path.dirname(path.resolve(file));
  const commit = await commitOf(revision, cwd);
  if (!commit.ok) return commit;
  const object = `${commit.text}:./${path.basename(file)}`;
  const type = await git(['cat-file', '-t', object], cwd);
  if (!type.ok || type.text.trim() !== 'blob')
    return { ok: false, problem: `cannot be read from git (${revision} does not hold ${path.basename(file)})` };
  return git(['cat-file', 'blob', object], cwd);
}
