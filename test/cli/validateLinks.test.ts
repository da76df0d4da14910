import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeWorkspace, runCliProcess, type CliRun } from '../helpers/cli';
import { EXAMPLE_FILES, mutate, readExample } from '../helpers/manifests';

/** The list example with an undeclared $campaign: one error validate must report wherever the file is found. */
const broken = mutate(readExample('list'), '"source": "amplitude"', '"source": "$campaign"');

/** The list example's folder (its logo) at `dir`, its manifest replaced by `text` under `name`. */
function integrationAt(dir: string, name: string, text: string): string {
  fs.cpSync(path.dirname(EXAMPLE_FILES.list), dir, { recursive: true });
  fs.rmSync(path.join(dir, path.basename(EXAMPLE_FILES.list)));
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

const validate = (...args: string[]): Promise<CliRun> =>
  runCliProcess(['validate', ...args], { env: { GITHUB_ACTIONS: '' } });

const count = (text: string, pattern: RegExp): number => text.split('\n').filter((l) => pattern.test(l)).length;

describe('validate <folder>: symlinked manifests (real links)', () => {
  it('a link to a manifest outside the workspace is reported and not read, never skipped with exit 0', async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'amp-outside-'));
    const target = integrationAt(outside, 'pushwave.amplitude.json', broken);
    const workspace = makeWorkspace({});
    const folder = path.join(workspace, 'integrations');
    fs.mkdirSync(folder);
    const link = path.join(folder, 'pushwave.amplitude.json');
    fs.symlinkSync(target, link);

    const named = await validate(target);
    assert.equal(named.code, 1, 'the file named directly has an error');
    assert.match(named.stdout, /undeclared-variable \$campaign/);

    const walked = await validate(folder);
    assert.equal(walked.code, 1, `${walked.stdout}${walked.stderr}`);
    assert.ok(walked.stdout.includes(`${link}:1:1 error file-not-local`), walked.stdout);
    assert.match(walked.stdout, /is a link to a file outside the workspace .*so it is not read or validated/);
    assert.doesNotMatch(walked.stdout, /undeclared-variable/, 'the file outside the workspace is not read');
    assert.match(walked.stderr, /1 manifest checked: 1 error/);

    const junit = await validate('--format', 'junit', folder);
    assert.match(junit.stdout, /file-not-local/, 'the refusal reaches every report format');
  });

  it('a link inside the workspace is validated once, and a link loop ends', async () => {
    const workspace = makeWorkspace({});
    const folder = path.join(workspace, 'integrations');
    const shared = path.join(workspace, 'shared');
    integrationAt(shared, 'pushwave.amplitude.json', broken);
    fs.mkdirSync(folder);
    fs.symlinkSync(path.join(shared, 'pushwave.amplitude.json'), path.join(folder, 'pushwave.amplitude.json'));
    fs.symlinkSync(path.join('..', 'shared', 'pushwave.amplitude.json'), path.join(folder, 'again.amplitude.json'));
    fs.symlinkSync('..', path.join(folder, 'loop'));
    const more = path.join(workspace, 'more');
    integrationAt(more, 'other.amplitude.json', mutate(broken, '$campaign', '$other_campaign'));
    fs.symlinkSync(more, path.join(folder, 'more'));

    const result = await validate(folder);
    assert.equal(result.timedOut, false);
    assert.equal(result.code, 1, `${result.stdout}${result.stderr}`);
    assert.equal(count(result.stdout, /undeclared-variable \$campaign/), 1, result.stdout);
    assert.equal(count(result.stdout, /undeclared-variable \$other_campaign/), 1, result.stdout);
    assert.match(result.stderr, /2 manifests checked: 2 errors/);
  });

  it('a link to a folder outside the workspace is not walked, and says so', async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'amp-outside-'));
    integrationAt(outside, 'pushwave.amplitude.json', broken);
    const workspace = makeWorkspace({});
    const folder = path.join(workspace, 'integrations');
    integrationAt(folder, 'pushwave.amplitude.json', readExample('list'));
    fs.symlinkSync(outside, path.join(folder, 'vendored'));

    const result = await validate(folder);
    assert.equal(result.code, 0, `${result.stdout}${result.stderr}`);
    assert.doesNotMatch(result.stdout, /undeclared-variable/);
    assert.ok(result.stderr.includes(`${path.join(folder, 'vendored')}: a link to a folder outside the workspace`));
  });

  it('a dangling link named like a manifest is reported', async () => {
    const workspace = makeWorkspace({});
    const folder = path.join(workspace, 'integrations');
    fs.mkdirSync(folder);
    fs.symlinkSync(path.join(folder, 'gone.json'), path.join(folder, 'pushwave.amplitude.json'));
    const result = await validate(folder);
    assert.equal(result.code, 1, `${result.stdout}${result.stderr}`);
    assert.match(result.stdout, /file-unreadable .*is a link to nothing/);
  });
});
