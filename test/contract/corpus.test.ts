import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { applyEdits, findNodeAtLocation, parseTree, type Node } from 'jsonc-parser';
import { setAt } from '../../server/src/base/jsonEdits';
import { CONTRACT_CODES } from '../../server/src/contract';
import { exampleWorkspace, runCliProcess } from '../helpers/cli';
import { CONTRACT_FIXTURES } from './helpers';

/**
 * The real-API corpus: six integrations, each with an API description modelled on the partner's published
 * OpenAPI document or API reference (Klaviyo, Iterable, HubSpot, Mailchimp, Braze, Mixpanel; cited in each
 * description's info.description), a manifest as an expert partner writes it, and mistakes.json: the mistakes
 * issue 22 lists, planted one at a time. Run through the real CLI (`validate --format json`): the correct
 * manifests give no contract finding (and no error at all), each mistake gives its code on its key.
 */

interface Mistake {
  name: string;
  /** A file beside the manifest (a body template) to edit instead of the manifest. */
  file?: string;
  edit: { pointer: string; value: unknown } | { replace: string; with: string };
  code: string;
  /** Where in the manifest the finding must land (a JSON pointer: the key or its value). */
  pointer: string;
  /** Other codes the same mistake rightly also gives (a misspelt required key: unknown and missing). */
  also?: string[];
}

interface CliFinding {
  file: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity: string;
  code: string;
  message: string;
}

const PARTNERS = fs
  .readdirSync(CONTRACT_FIXTURES)
  .filter((dir) => fs.existsSync(path.join(CONTRACT_FIXTURES, dir, 'mistakes.json')))
  .sort();

function manifestOf(dir: string): string {
  const name = fs.readdirSync(path.join(CONTRACT_FIXTURES, dir)).find((f) => f.endsWith('.amplitude.json'));
  assert.ok(name, `${dir} has a manifest`);
  return path.join(CONTRACT_FIXTURES, dir, name);
}

function mistakesOf(dir: string): Mistake[] {
  return JSON.parse(fs.readFileSync(path.join(CONTRACT_FIXTURES, dir, 'mistakes.json'), 'utf8')) as Mistake[];
}

const segments = (pointer: string) =>
  pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));

/** The mistake applied to the copy in the workspace; fails when it changes nothing (it would prove nothing). */
function plant(manifest: string, mistake: Mistake): void {
  const target = mistake.file ? path.join(path.dirname(manifest), mistake.file) : manifest;
  const before = fs.readFileSync(target, 'utf8');
  const { edit } = mistake;
  let after: string;
  if ('pointer' in edit) after = applyEdits(before, setAt(before, segments(edit.pointer), edit.value));
  else {
    assert.ok(before.includes(edit.replace), `${path.basename(target)} holds ${edit.replace}`);
    after = before.replace(edit.replace, edit.with);
  }
  assert.notStrictEqual(after, before, `${mistake.name} changes ${path.basename(target)}`);
  fs.writeFileSync(target, after);
}

async function validate(manifest: string): Promise<CliFinding[]> {
  const run = await runCliProcess(['validate', path.basename(manifest), '--format', 'json'], {
    cwd: path.dirname(manifest),
    timeoutMs: 60_000,
  });
  assert.ok(!run.timedOut && (run.code === 0 || run.code === 1), `validate ran: ${run.code} ${run.stderr}`);
  return JSON.parse(run.stdout) as CliFinding[];
}

function offsetOf(text: string, position: { line: number; character: number }): number {
  const lines = text.split('\n');
  return lines.slice(0, position.line).reduce((n, l) => n + l.length + 1, 0) + position.character;
}

/** The property at the pointer, key and value: where a finding on it may land. */
function spanAt(text: string, pointer: string): [number, number] {
  const node: Node | undefined = findNodeAtLocation(parseTree(text)!, segments(pointer));
  if (node) {
    const owner = node.parent?.type === 'property' ? node.parent : node;
    return [owner.offset, owner.offset + owner.length];
  }
  const parts = segments(pointer);
  const key = parts[parts.length - 1];
  const at = text.indexOf(JSON.stringify(key));
  assert.ok(at >= 0, `the manifest has ${pointer}`);
  return [at, at + JSON.stringify(key).length];
}

const contract = (found: CliFinding[]) => found.filter((f) => CONTRACT_CODES.includes(f.code));

describe('contract corpus: six partner APIs through validate (real CLI)', function () {
  this.timeout(600_000);

  it('covers six partners, every kind of planted mistake and each description format', () => {
    assert.ok(PARTNERS.length >= 6, PARTNERS.join(', '));
    const codes = new Set(PARTNERS.flatMap((p) => mistakesOf(p).map((m) => m.code)));
    for (const code of ['contract-list-id-path', 'contract-batch-size', 'contract-method', 'contract-auth'])
      assert.ok(codes.has(code), code);
    for (const code of ['contract-body-type', 'contract-body-unknown-key', 'contract-body-missing-key'])
      assert.ok(codes.has(code), code);
    const heads = PARTNERS.map((p) => {
      const manifest = JSON.parse(fs.readFileSync(manifestOf(p), 'utf8').replace(/^\s*\/\/.*$/gm, '')) as {
        apiDescription: string;
      };
      const text = fs.readFileSync(path.join(CONTRACT_FIXTURES, p, manifest.apiDescription), 'utf8');
      return `${path.extname(manifest.apiDescription)} ${/(openapi|swagger)["']?:\s*["']?(\d\.\d)/.exec(text)?.[2]}`;
    });
    for (const form of ['.json 2.0', '.json 3.0', '.json 3.1', '.yaml 3.0', '.yaml 3.1'])
      assert.ok(heads.includes(form), `${form} in ${heads.join(', ')}`);
  });

  for (const partner of PARTNERS) {
    describe(partner, () => {
      it('the correct manifest: no contract finding and no error', async () => {
        const found = await validate(exampleWorkspace(manifestOf(partner)));
        assert.deepStrictEqual(contract(found), []);
        assert.deepStrictEqual(
          found.filter((f) => f.severity === 'error'),
          [],
        );
      });

      for (const mistake of mistakesOf(partner)) {
        it(`"${mistake.code}": ${mistake.name}`, async () => {
          const manifest = exampleWorkspace(manifestOf(partner));
          plant(manifest, mistake);
          const found = contract(await validate(manifest));
          const text = fs.readFileSync(manifest, 'utf8');
          const [start, end] = spanAt(text, mistake.pointer);
          const landed = found.filter((f) => {
            const from = offsetOf(text, f.range.start);
            return f.code === mistake.code && from >= start && offsetOf(text, f.range.end) <= end;
          });
          assert.ok(landed.length > 0, `${mistake.code} on ${mistake.pointer}; found ${JSON.stringify(found)}`);
          const allowed = [mistake.code, ...(mistake.also ?? [])];
          assert.deepStrictEqual(
            found.filter((f) => !allowed.includes(f.code)),
            [],
          );
        });
      }
    });
  }
});
