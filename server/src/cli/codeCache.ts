import * as fs from 'fs';
import { createRequire, wrap } from 'module';
import * as path from 'path';
import * as vm from 'vm';
import { userCacheFolder } from '../base/userCache';
import { writeFileInside } from '../base/writes';

/** Past this, a cache file is not ours (V8's cache of the CLI bundle is about 0.2 MB). */
const MAX_CACHE_BYTES = 32 * 1024 * 1024;

/** One cache per bundle (by path, size and time), Node version and CPU: V8 rejects any other anyway. */
function cacheFileFor(folder: string, file: string): string {
  const stat = fs.statSync(file);
  const key = `${file}|${stat.size}|${stat.mtimeMs}|${process.version}|${process.arch}`;
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return path.join(folder, `${path.basename(file, '.js')}-${hash.toString(16)}.v8`);
}

function readCache(file: string): Buffer | undefined {
  try {
    return fs.statSync(file).size <= MAX_CACHE_BYTES ? fs.readFileSync(file) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Written beside, then renamed (a reader never sees half a cache), never through a link: the folder is the
 * user's own (0700), and a link planted there still would not be followed. A refused write leaves no cache.
 */
function writeCache(file: string, data: Buffer): void {
  writeFileInside(file, data, { root: path.dirname(file), replace: true, mode: 0o600 });
}

/**
 * `require(file)` for a CommonJS bundle, with V8's compiled code kept in the user's cache folder: the CLI's
 * bundle (1.3 MB) then starts without being compiled again, about a third of a cold `validate`. The cache is
 * written when the process exits (so it holds what the command compiled), and only when there was none or V8
 * rejected it (a new Node, a rebuilt bundle). Without a cache folder it is a plain `require`.
 */
export function requireWithCodeCache(file: string): unknown {
  const folder = userCacheFolder('v8');
  if (!folder) return createRequire(file)(file) as unknown;
  const cacheFile = cacheFileFor(folder, file);
  const cachedData = readCache(cacheFile);
  const script = new vm.Script(wrap(fs.readFileSync(file, 'utf8')), { filename: file, cachedData });
  if (!cachedData || script.cachedDataRejected)
    process.once('exit', () => writeCache(cacheFile, script.createCachedData()));
  const module = { exports: {} as unknown, filename: file, id: file, loaded: false };
  const load = script.runInThisContext() as (...args: unknown[]) => void;
  load(module.exports, createRequire(file), module, file, path.dirname(file));
  module.loaded = true;
  return module.exports;
}
