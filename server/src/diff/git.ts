import { execFile } from 'child_process';
import * as path from 'path';
import { isInside, MAX_MANIFEST_BYTES, MAX_TEXT_BYTES, type FileScope } from '../base/files';
import { bodyTemplateReference, STREAMING_ROLES, type StreamingModel } from '../manifest/streaming';
import type { TemplateVersions } from './templates';

type GitAnswer = { ok: true; text: string } | { ok: false; problem: string };

/** What git says, or why it could not: the manifest's folder is the repository to ask. */
function git(args: string[], cwd: string, maxBuffer = MAX_MANIFEST_BYTES): Promise<GitAnswer> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, encoding: 'utf8', maxBuffer, timeout: 20_000 }, (error, stdout, stderr) => {
      if (error) resolve({ ok: false, problem: stderr.trim() || error.message });
      else resolve({ ok: true, text: stdout });
    });
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

const notRevision = (revision: string) => ({ ok: false as const, problem: `"${revision}" is not a git revision.` });

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

/**
 * A file the manifest references, as the revision has it: a regular file (not a link, not a folder)
 * inside the workspace and under the size limit; else a sentence saying why it is not compared.
 */
export async function referenceAtRevision(
  reference: string,
  revision: string,
  scope: FileScope,
): Promise<{ text: string } | { problem: string }> {
  if (!isRevision(revision)) return { problem: notRevision(revision).problem };
  const absolute = path.resolve(scope.baseDir, reference);
  if (path.isAbsolute(reference) || /^[a-z][a-z0-9+.-]*:/i.test(reference) || !isInside(scope.rootDir, absolute))
    return { problem: 'is not a file inside the workspace, so it is not read' };
  const relative = path.relative(scope.baseDir, absolute) || '.';
  // `--` ends the options: the reference is a path whatever it looks like.
  const listed = await git(['ls-tree', '-l', revision, '--', relative], scope.baseDir);
  if (!listed.ok) return { problem: `cannot be read from git at ${revision} (${listed.problem})` };
  const entry = /^(\d+) (\w+) ([0-9a-f]+) +(\d+|-)\t/.exec(listed.text);
  if (!entry) return { problem: `is not in ${revision}` };
  if (entry[1] !== '100644' && entry[1] !== '100755')
    return { problem: `is not a regular file in ${revision} (a link or a folder), so it is not read` };
  if (Number(entry[4]) > MAX_TEXT_BYTES) return { problem: `is larger than 2 MB in ${revision}, so it is not read` };
  const blob = await git(['cat-file', 'blob', entry[3]], scope.baseDir, MAX_TEXT_BYTES + 1);
  return blob.ok ? { text: blob.text } : { problem: `cannot be read from git at ${revision} (${blob.problem})` };
}

/** The body templates a manifest's old text names, as the revision has them. */
export async function templatesAtRevision(
  streaming: StreamingModel,
  revision: string,
  scope: FileScope,
): Promise<TemplateVersions> {
  const out: TemplateVersions = {};
  for (const role of STREAMING_ROLES) {
    const reference = bodyTemplateReference(streaming, role);
    if (!reference) continue;
    out[role] = { reference, ...(await referenceAtRevision(reference, revision, scope)) };
  }
  return out;
}
