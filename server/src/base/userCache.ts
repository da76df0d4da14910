import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * A folder of this tool's in the user's own cache (`$XDG_CACHE_HOME` or `~/.cache`), created 0700. Undefined
 * when it cannot be made, or is not the user's alone: what is cached there (a JVM's class archive, V8's compiled
 * code) is run as is, so it must never sit where another user can write.
 */
export function userCacheFolder(name: string): string | undefined {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  const folder = path.join(base, 'amplitude-integration-tools', name);
  try {
    fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
    const stat = fs.statSync(folder);
    const mine = typeof process.getuid !== 'function' || stat.uid === process.getuid();
    return mine && (stat.mode & 0o077) === 0 ? folder : undefined;
  } catch {
    return undefined;
  }
}
