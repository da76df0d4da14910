import { createHash } from 'crypto';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { userCacheFolder } from '../base/userCache';
import { writeFileInside } from '../base/writes';
import { requestLine } from './worker/messages';

/**
 * Class data sharing for the FreeMarker worker: the classes a render loads (FreeMarker's and ours),
 * archived once per Java, jar and worker build, so later JVMs map them instead of loading them (about a
 * third of the start). The archive lives in the user's own cache folder (0700), never in a shared /tmp:
 * a JVM maps whatever archive it is given. Where anything is missing (no sh, no cache folder, an old
 * JVM) the worker simply starts without it.
 */
export interface SharingPlan {
  /** JVM arguments for this start. */
  args: string[];
  /** When no archive exists yet: builds one in the background, for the next start. */
  train?: () => void;
}

/** A render that loads the classes every render needs (the request, framed as messages.ts writes them). */
const TRAINING_REQUEST = requestLine({
  id: 1,
  op: 'render',
  name: 'training.ftl',
  key: 1,
  template: '<#setting number_format="computer">{"e": "${input.event_type?json_string}", "n": ${input.n?c}}',
  data: JSON.stringify({ input: { event_type: 'x', n: 1 } }),
}).trimEnd();

/** One archive per Java, classpath entries (by path, size and time) and JVM flags. */
function archiveKey(java: string, classpath: string[], flags: string[]): string {
  const hash = createHash('sha256').update(java).update(flags.join(' '));
  for (const entry of classpath) {
    const stat = fs.statSync(entry);
    hash.update(`\0${entry}\0${stat.size}\0${stat.mtimeMs}`);
  }
  return hash.digest('hex').slice(0, 24);
}

/** A lock that a crashed trainer cannot hold for ever. */
function takeLock(lock: string): boolean {
  try {
    const stale = Date.now() - fs.statSync(lock).mtimeMs > 120_000;
    if (!stale) return false;
    fs.rmSync(lock, { force: true });
  } catch {
    // no lock yet
  }
  // Created only if absent (O_EXCL): that is the lock.
  return writeFileInside(lock, String(process.pid), { root: path.dirname(lock), mode: 0o600 }).ok;
}

/** Archives kept besides the one being built: each rebuild of the jars or a new Java makes a new one. */
const KEPT_ARCHIVES = 3;

/** Removes all but the newest archives (a few MB each), so updates do not fill the cache folder. */
function pruneArchives(folder: string): void {
  try {
    const archives = fs
      .readdirSync(folder)
      .filter((name) => /^[0-9a-f]{24}\.jsa$/.test(name))
      .map((name) => ({ file: path.join(folder, name), at: fs.statSync(path.join(folder, name)).mtimeMs }))
      .sort((a, b) => b.at - a.at);
    for (const stale of archives.slice(KEPT_ARCHIVES)) fs.rmSync(stale.file, { force: true });
  } catch {
    // a folder we cannot list or clean: the archives stay, the worker still starts
  }
}

export function sharingPlan(java: string, classpath: string[], flags: string[], mainClass: string): SharingPlan {
  if (process.platform === 'win32' || process.env.AMPLITUDE_FREEMARKER_CDS === 'off') return { args: [] };
  const folder = userCacheFolder('cds');
  if (!folder || classpath.some((entry) => !entry.endsWith('.jar') || !fs.existsSync(entry))) return { args: [] };
  const archive = path.join(folder, `${archiveKey(java, classpath, flags)}.jsa`);
  const quiet = ['-Xshare:auto', '-Xlog:disable', '-Xlog:all=off'];
  if (fs.existsSync(archive)) return { args: [`-XX:SharedArchiveFile=${archive}`, ...quiet] };
  const train = () => {
    const lock = `${archive}.lock`;
    if (!takeLock(lock)) return;
    pruneArchives(folder);
    const partial = `${archive}.${process.pid}.partial`;
    const command = [
      java,
      ...flags,
      ...quiet,
      `-XX:ArchiveClassesAtExit=${partial}`,
      '-cp',
      classpath.join(':'),
      mainClass,
    ];
    // sh renames the archive once the JVM has written it, even when this process has ended by then.
    const script =
      'req=$1; partial=$2; archive=$3; lock=$4; shift 4; ' +
      'printf "%s\\n" "$req" | "$@" >/dev/null 2>&1; ' +
      '[ -s "$partial" ] && mv -f "$partial" "$archive"; rm -f "$partial" "$lock"';
    try {
      const child = spawn('sh', ['-c', script, 'sh', TRAINING_REQUEST, partial, archive, lock, ...command], {
        detached: true,
        stdio: 'ignore',
      });
      child.on('error', () => fs.rmSync(lock, { force: true }));
      child.unref();
    } catch {
      fs.rmSync(lock, { force: true });
    }
  };
  return { args: [], train };
}
