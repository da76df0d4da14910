import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { REPO } from '../helpers/lspClient';

const CLI = path.join(REPO, 'dist', 'cli.js');
const MANIFEST = path.join(REPO, 'examples', 'list-based');

describe("the CLI's V8 code cache (a quicker cold start)", () => {
  let cache: string;
  beforeEach(() => {
    cache = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-cache-'));
  });
  afterEach(() => fs.rmSync(cache, { recursive: true, force: true }));

  const validate = () =>
    spawnSync(process.execPath, [CLI, 'validate', MANIFEST], {
      encoding: 'utf8',
      env: { ...process.env, XDG_CACHE_HOME: cache },
    });
  const folder = () => path.join(cache, 'amplitude-integration-tools', 'v8');
  const cacheFiles = () => (fs.existsSync(folder()) ? fs.readdirSync(folder()).filter((f) => f.endsWith('.v8')) : []);

  it("is written by the first run in the user's own folder, readable by the user alone, and used after", () => {
    const first = validate();
    assert.strictEqual(first.status, 0, first.stderr);
    const [file] = cacheFiles();
    assert.ok(file, 'one cache file');
    assert.strictEqual(fs.statSync(path.join(folder(), file)).mode & 0o777, 0o600);
    assert.strictEqual(fs.statSync(folder()).mode & 0o777, 0o700);
    const written = fs.statSync(path.join(folder(), file)).mtimeMs;
    const second = validate();
    assert.strictEqual(second.status, 0, second.stderr);
    assert.strictEqual(second.stderr, first.stderr);
    assert.strictEqual(fs.statSync(path.join(folder(), file)).mtimeMs, written, 'an accepted cache is not rewritten');
  });

  it('a damaged cache changes nothing the user sees, and is replaced', () => {
    assert.strictEqual(validate().status, 0);
    const file = path.join(folder(), cacheFiles()[0]);
    fs.writeFileSync(file, Buffer.alloc(4096, 0x5a));
    const run = validate();
    assert.strictEqual(run.status, 0, run.stderr);
    assert.match(run.stderr, /1 manifest checked: 0 errors/);
    assert.notDeepStrictEqual(fs.readFileSync(file), Buffer.alloc(4096, 0x5a));
  });

  it('a cache folder others can write to is never used', () => {
    fs.mkdirSync(folder(), { recursive: true });
    fs.chmodSync(folder(), 0o777);
    const run = validate();
    assert.strictEqual(run.status, 0, run.stderr);
    assert.deepStrictEqual(cacheFiles(), []);
  });
});
