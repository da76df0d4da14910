import * as assert from 'assert';
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writeNewIntegration } from '../../client/src/newIntegrationFiles';
import { readTestValues, saveTestValues, VALUES_FILE } from '../../client/src/testEndpoint/valuesFile';
import { appendFileInside, writeFileInside } from '../../server/src/base/writes';
import { scaffoldIntegration } from '../../server/src/scaffold';
import { CLI, exampleWorkspace, runCliProcess } from '../helpers/cli';
import { EXAMPLE_FILES } from '../helpers/manifests';

/** What a repository's link would overwrite: a file in the home folder, outside the workspace. */
const RC_TEXT = 'export PATH="$HOME/bin:$PATH"\n# the user\'s own shell start-up\n';

interface Machine {
  /** The workspace a repository was cloned into. */
  workspace: string;
  /** A folder outside it: the user's home. */
  home: string;
  rc: string;
}

function machine(): Machine {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'amp-ws-'));
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'amp-home-'));
  const rc = path.join(home, '.bashrc');
  fs.writeFileSync(rc, RC_TEXT);
  return { workspace, home, rc };
}

/** The home folder as it was: every file, byte for byte, and nothing added. */
function snapshot(folder: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of fs.readdirSync(folder, { recursive: true, withFileTypes: true })) {
    const full = path.join(entry.parentPath, entry.name);
    let bytes = '?';
    if (entry.isFile()) bytes = fs.readFileSync(full, 'base64');
    else if (entry.isDirectory()) bytes = '/';
    files[path.relative(folder, full)] = bytes;
  }
  return files;
}

const VALUES = { 'shop.amplitude.json': { workspace_id: 'w-1' } };

describe('hostile input: writes never follow a link out of the workspace', () => {
  let m: Machine;
  let before: Record<string, string>;
  beforeEach(() => {
    m = machine();
    before = snapshot(m.home);
  });
  afterEach(() => {
    assert.deepStrictEqual(snapshot(m.home), before, 'a file outside the workspace changed');
    fs.rmSync(m.workspace, { recursive: true, force: true });
    fs.rmSync(m.home, { recursive: true, force: true });
  });

  it('test values in a clean workspace: the folder ignores itself, the values are written, read back', () => {
    assert.strictEqual(saveTestValues(m.workspace, VALUES), undefined);
    assert.match(fs.readFileSync(path.join(m.workspace, '.amplitude', '.gitignore'), 'utf8'), /^\*$/m);
    assert.deepStrictEqual(readTestValues(m.workspace), VALUES);
    // Saved again (a value added, then Clear Test Values): the file is replaced, the .gitignore kept.
    fs.appendFileSync(path.join(m.workspace, '.amplitude', '.gitignore'), '# mine\n');
    assert.strictEqual(saveTestValues(m.workspace, {}), undefined);
    assert.deepStrictEqual(readTestValues(m.workspace), {});
    assert.match(fs.readFileSync(path.join(m.workspace, '.amplitude', '.gitignore'), 'utf8'), /# mine/);
  });

  it('a repository that ships .amplitude/test-values.json as a link: refused, not read, not written', () => {
    fs.mkdirSync(path.join(m.workspace, '.amplitude'));
    fs.symlinkSync(m.rc, path.join(m.workspace, VALUES_FILE));
    fs.writeFileSync(path.join(m.home, 'values.json'), JSON.stringify({ 'shop.amplitude.json': { leaked: 'x' } }));
    before = snapshot(m.home);
    const refused = saveTestValues(m.workspace, VALUES);
    assert.ok(refused, 'the values were written through the link');
    assert.strictEqual(refused.file, VALUES_FILE);
    assert.match(refused.refusal.reason, /symbolic link/);
    fs.rmSync(path.join(m.workspace, VALUES_FILE));
    fs.symlinkSync(path.join(m.home, 'values.json'), path.join(m.workspace, VALUES_FILE));
    assert.deepStrictEqual(readTestValues(m.workspace), {}, 'a file outside the workspace was read');
  });

  it('a link as .amplitude/.gitignore: refused, and the values are not written either', () => {
    fs.mkdirSync(path.join(m.workspace, '.amplitude'));
    fs.symlinkSync(m.rc, path.join(m.workspace, '.amplitude', '.gitignore'));
    const refused = saveTestValues(m.workspace, VALUES);
    assert.strictEqual(refused?.file, '.amplitude/.gitignore');
    assert.match(refused.refusal.reason, /would be written through a link/);
    assert.ok(!fs.existsSync(path.join(m.workspace, VALUES_FILE)), 'values written where git does not ignore them');
  });

  it('.amplitude itself a link to a folder in the home: nothing is made or written there', () => {
    fs.symlinkSync(m.home, path.join(m.workspace, '.amplitude'));
    const refused = saveTestValues(m.workspace, VALUES);
    assert.match(refused?.refusal.reason ?? '', /\.amplitude is a symbolic link/);
  });

  it('a link to a folder anywhere below the root: refused for a new file and for a replaced one', () => {
    fs.mkdirSync(path.join(m.workspace, 'deep'));
    fs.symlinkSync(m.home, path.join(m.workspace, 'deep', 'out'));
    for (const replace of [false, true]) {
      for (const target of [path.join('deep', 'out', '.bashrc'), path.join('deep', 'out', 'new.txt')]) {
        const written = writeFileInside(target, 'x', { root: m.workspace, replace, makeFolders: true });
        assert.ok(!written.ok && written.code === 'through-link', `${target}: ${JSON.stringify(written)}`);
      }
    }
    const appended = appendFileInside(path.join('deep', 'out', '.bashrc'), 'x', { root: m.workspace });
    assert.ok(!appended.ok && appended.code === 'through-link');
  });

  it('a FIFO, a device or a folder where the file goes: refused at once, nothing waits for a reader', () => {
    fs.mkdirSync(path.join(m.workspace, '.amplitude'));
    execFileSync('mkfifo', [path.join(m.workspace, VALUES_FILE)]);
    const fifo = saveTestValues(m.workspace, VALUES);
    assert.match(fifo?.refusal.reason ?? '', /not a regular file/);
    assert.deepStrictEqual(readTestValues(m.workspace), {});
    fs.mkdirSync(path.join(m.workspace, 'dir'));
    for (const target of [path.join(m.workspace, 'dir'), path.join(m.workspace, '.amplitude', 'test-values.json')]) {
      for (const write of [
        () => writeFileInside(target, 'x', { root: m.workspace, replace: true }),
        () => appendFileInside(target, 'x', { root: m.workspace }),
      ]) {
        const result = write();
        assert.ok(!result.ok && result.code === 'not-a-file', JSON.stringify(result));
      }
    }
    const device = writeFileInside('/dev/null', 'x', { root: '/dev', replace: true });
    assert.ok(!device.ok && device.code === 'not-a-file');
  });

  it('a hard link to a file outside: replacing it writes a new file, the outside one keeps its bytes', () => {
    const linked = path.join(m.workspace, 'report.sarif');
    fs.linkSync(m.rc, linked);
    const written = writeFileInside(linked, '{}', { root: m.workspace, replace: true });
    assert.ok(written.ok);
    assert.strictEqual(fs.readFileSync(linked, 'utf8'), '{}');
    assert.strictEqual(fs.readFileSync(m.rc, 'utf8'), RC_TEXT);
  });

  it('an existing file is never replaced unless asked; a path that climbs out is refused', () => {
    const mine = path.join(m.workspace, 'mine.txt');
    fs.writeFileSync(mine, 'the user wrote this');
    const kept = writeFileInside(mine, 'x', { root: m.workspace });
    assert.ok(!kept.ok && kept.code === 'exists');
    assert.strictEqual(fs.readFileSync(mine, 'utf8'), 'the user wrote this');
    for (const target of [path.join('..', path.basename(m.home), '.bashrc'), m.rc, m.workspace]) {
      const out = writeFileInside(target, 'x', { root: m.workspace, replace: true, rootName: 'the workspace' });
      assert.ok(!out.ok && out.code === 'outside-root', `${target}: ${JSON.stringify(out)}`);
      assert.match(out.reason, /outside the workspace/);
    }
    assert.deepStrictEqual(
      fs.readdirSync(m.workspace).filter((n) => n.endsWith('.partial')),
      [],
      'a partial file was left behind',
    );
  });
});

describe('hostile input: New Integration never overwrites what is there', () => {
  let m: Machine;
  let before: Record<string, string>;
  const planned = () => {
    const { manifest, files } = scaffoldIntegration('event-streaming', 'Acme');
    return [...files, { name: 'acme.amplitude.json', content: manifest }];
  };
  beforeEach(() => {
    m = machine();
    before = snapshot(m.home);
  });
  afterEach(() => {
    assert.deepStrictEqual(snapshot(m.home), before, 'a file outside the workspace changed');
    fs.rmSync(m.workspace, { recursive: true, force: true });
    fs.rmSync(m.home, { recursive: true, force: true });
  });

  it("writes the files in an empty folder, and adds .amplitude/ to the user's .gitignore, losing no line", () => {
    fs.writeFileSync(path.join(m.workspace, '.gitignore'), 'node_modules/\ndist');
    const written = writeNewIntegration(m.workspace, planned());
    assert.ok(written.ok, written.ok ? '' : written.message);
    assert.deepStrictEqual(written.written.sort(), ['acme-body.ftl', 'acme-logo.png', 'acme.amplitude.json']);
    assert.strictEqual(written.ignoreNote, undefined);
    const ignore = fs.readFileSync(path.join(m.workspace, '.gitignore'), 'utf8');
    assert.match(ignore, /^node_modules\/\ndist\n# Amplitude Test Endpoint: local test values\n\.amplitude\/\n$/);
  });

  it('an existing logo or body: nothing is written, the message names them, their bytes are kept', () => {
    const logo = path.join(m.workspace, 'acme-logo.png');
    const body = path.join(m.workspace, 'acme-body.ftl');
    fs.writeFileSync(logo, 'my real logo');
    fs.symlinkSync(m.rc, body);
    const refused = writeNewIntegration(m.workspace, planned());
    assert.ok(!refused.ok);
    assert.match(refused.message, /acme-logo\.png and acme-body\.ftl already exist/);
    assert.match(refused.message, /nothing was written or overwritten/);
    assert.strictEqual(fs.readFileSync(logo, 'utf8'), 'my real logo');
    assert.ok(!fs.existsSync(path.join(m.workspace, 'acme.amplitude.json')));
    assert.ok(!fs.existsSync(path.join(m.workspace, '.gitignore')));
  });

  it('a .gitignore that is a link: the integration is written, the link is not, and the user is told', () => {
    fs.symlinkSync(m.rc, path.join(m.workspace, '.gitignore'));
    const written = writeNewIntegration(m.workspace, planned());
    assert.ok(written.ok, written.ok ? '' : written.message);
    assert.match(written.ignoreNote ?? '', /^\.gitignore would be written through a link.*add "\.amplitude\/"/);
  });
});

/** The CLI with a file-size limit (`ulimit -f`): a write that fails halfway, as on a full disk. */
function runWithFileLimit(
  args: string[],
  cwd: string,
  blocks: number,
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', `ulimit -f ${blocks}; exec "$0" "$@"`, process.execPath, CLI, ...args], {
      cwd,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('hostile input: the CLI writes --out, --output and --template-out only where it was asked', function () {
  this.timeout(120_000);
  let m: Machine;
  let before: Record<string, string>;
  let cwd: string;
  let manifest: string;
  beforeEach(() => {
    m = machine();
    // A clone of a streaming integration (a git root); the commands run from its top folder.
    const file = exampleWorkspace(EXAMPLE_FILES.streaming);
    cwd = path.dirname(path.dirname(file));
    manifest = path.relative(cwd, file);
    fs.writeFileSync(path.join(m.home, 'curl.txt'), 'curl -X POST https://api.example.com/v1/events -d \'{"a":1}\'');
    before = snapshot(m.home);
  });
  afterEach(() => {
    assert.deepStrictEqual(snapshot(m.home), before, 'a file outside the workspace changed');
    fs.rmSync(cwd, { recursive: true, force: true });
    fs.rmSync(m.workspace, { recursive: true, force: true });
    fs.rmSync(m.home, { recursive: true, force: true });
  });

  it('each output option named as a link, or into a linked folder, is refused with exit 2 and a sentence', async () => {
    fs.symlinkSync(m.rc, path.join(cwd, 'report.sarif'));
    fs.symlinkSync(m.rc, path.join(cwd, 'preview.html'));
    fs.symlinkSync(m.rc, path.join(cwd, 'portal.md'));
    fs.symlinkSync(m.rc, path.join(cwd, 'body.ftl'));
    fs.symlinkSync(m.home, path.join(cwd, 'reports'));
    const curl = path.join(m.home, 'curl.txt');
    const cases: string[][] = [
      ['validate', manifest, '--format', 'sarif', '--output', 'report.sarif'],
      ['validate', manifest, '--format', 'junit', '--output', path.join(cwd, 'report.sarif')],
      ['validate', manifest, '--format', 'json', '--output', 'reports/new.json'],
      ['validate', manifest, '--format', 'json', '--output', 'reports/.bashrc'],
      ['preview', manifest, '--out', 'preview.html'],
      ['preview', manifest, '--out', 'reports/new.html'],
      ['export', manifest, '--out', 'portal.md'],
      ['import', '--curl', curl, '--kind', 'event-streaming', '--template-out', 'body.ftl'],
    ];
    for (const args of cases) {
      const result = await runCliProcess(args, { cwd });
      assert.strictEqual(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, /(symbolic link|not a regular file)/, args.join(' '));
      assert.doesNotMatch(result.stderr, /\n\s+at |unexpected failure/, `${args.join(' ')}: a stack trace`);
    }
  });

  it("a relative path climbing out of the current folder is refused; an absolute one is the user's", async () => {
    const climbing = path.relative(cwd, path.join(m.home, 'report.json'));
    const refused = await runCliProcess(['validate', manifest, '--format', 'json', '--output', climbing], { cwd });
    assert.strictEqual(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /outside the current folder \(name an absolute path to write elsewhere\)/);
    const chosen = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'amp-reports-')), 'report.json');
    fs.writeFileSync(chosen, 'last run');
    const replaced = await runCliProcess(['validate', manifest, '--format', 'json', '--output', chosen], { cwd });
    assert.strictEqual(replaced.code, 0, replaced.stderr);
    assert.ok(Array.isArray(JSON.parse(fs.readFileSync(chosen, 'utf8'))), 'the named file was not replaced');
    fs.rmSync(path.dirname(chosen), { recursive: true, force: true });
  });

  it('$GITHUB_STEP_SUMMARY as a link is refused; --output to /dev/full or a FIFO never exits 0', async () => {
    const summary = path.join(cwd, 'summary.md');
    fs.symlinkSync(m.rc, summary);
    const env = { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary };
    const linked = await runCliProcess(['validate', manifest], { cwd, env });
    assert.strictEqual(linked.code, 2, linked.stderr);
    assert.match(linked.stderr, /\$GITHUB_STEP_SUMMARY .*symbolic link/);
    execFileSync('mkfifo', [path.join(cwd, 'pipe.sarif')]);
    for (const out of ['/dev/full', 'pipe.sarif']) {
      const result = await runCliProcess(['validate', manifest, '--format', 'sarif', '--output', out], {
        cwd,
        timeoutMs: 15_000,
      });
      assert.ok(!result.timedOut, `--output ${out} hung`);
      assert.strictEqual(result.code, 2, result.stderr);
      assert.match(result.stderr, /not a regular file/);
    }
  });

  it('a write that fails halfway (a full disk): exit 2, the old report kept whole, no partial file left', async () => {
    fs.writeFileSync(path.join(cwd, 'report.sarif'), 'the last good report');
    const result = await runWithFileLimit(
      ['validate', manifest, '--format', 'sarif', '--output', 'report.sarif'],
      cwd,
      1,
    );
    assert.strictEqual(result.code, 2, result.stderr);
    assert.match(result.stderr, /--output report\.sarif could not be written \(EFBIG/);
    assert.strictEqual(fs.readFileSync(path.join(cwd, 'report.sarif'), 'utf8'), 'the last good report');
    assert.deepStrictEqual(
      fs.readdirSync(cwd).filter((name) => name.includes('partial')),
      [],
    );
  });
});
