import * as assert from 'assert';
import { analyzeManifest, type ManifestAnalysis } from '../../server/src/analysis';
import { emptyRecord } from '../../server/src/base/records';
import { predefinedVariable } from '../../server/src/manifest/variables';
import { buildRequests, RequestBuildError, type BuiltRequest } from '../../server/src/testing/request';
import { generateUsers, type TestValues } from '../../server/src/testing/values';
import { partners, type Partner } from '../helpers/corpus';
import { EXAMPLE_FILES, readExample } from '../helpers/manifests';
import { nodeFiles } from '../../server/src/base/files';
import * as path from 'path';
import { REPO } from '../helpers/lspClient';

interface Mutation {
  name: string;
  text: string;
}

/** Each `$name` in the manifest's URLs, headers and payloads, one mutation at a time. */
function mutations(text: string): Mutation[] {
  const out: Mutation[] = [];
  const variable = /\$([A-Za-z_][A-Za-z0-9_]*)/g;
  const jsonStart = text.indexOf('{');
  for (let m = variable.exec(text); m; m = variable.exec(text)) {
    if (m.index < jsonStart || text.slice(Math.max(0, m.index - 9), m.index).includes('$schema')) continue;
    const [whole, name] = m;
    const at = (replacement: string) => text.slice(0, m.index) + replacement + text.slice(m.index + whole.length);
    const dashed = name.includes('_') ? name.replace('_', '-') : `${name}-x`;
    out.push(
      { name: `$${name} -> $${dashed}`, text: at(`$${dashed}`) },
      { name: `$${name} -> \${${name}}`, text: at(`\${${name}}`) },
      { name: `$${name} -> {{${name}}}`, text: at(`{{${name}}}`) },
      { name: `$${name} -> $nobody_declared_this`, text: at('$nobody_declared_this') },
      { name: `$${name} -> $items`, text: at('$items') },
      { name: `$${name} -> $list_id`, text: at('$list_id') },
      { name: `$${name} -> $amp_cohort_membership`, text: at('$amp_cohort_membership') },
    );
  }
  const firstField = /"variable":\s*"([A-Za-z_]\w*)"/.exec(text);
  if (firstField)
    out.push({
      name: `custom field ${firstField[1]} undeclared`,
      text: text.replace(firstField[0], '"variable": "renamed_away"'),
    });
  return out;
}

function valuesFor(analysis: ManifestAnalysis, base: TestValues): TestValues {
  const variables = emptyRecord<string>();
  Object.assign(variables, base.variables);
  for (const d of analysis.model.declarations)
    if (!Object.hasOwn(variables, d.name)) variables[d.name] = `value-of-${d.name}`;
  return { ...base, variables };
}

/** Every request of every endpoint, or the reason the builder refuses. */
function buildAll(analysis: ManifestAnalysis, values: TestValues): BuiltRequest[] | RequestBuildError {
  const mappings = analysis.model.declarations.filter((d) => d.source === 'mappingField').map((d) => d.name);
  const users = generateUsers(2, mappings);
  const out: BuiltRequest[] = [];
  try {
    for (const endpoint of analysis.model.endpoints) {
      for (const membership of [true, false]) {
        out.push(
          ...buildRequests(analysis.model, endpoint.name, {
            values,
            users,
            listId: 123,
            membership,
          }),
        );
      }
    }
  } catch (error) {
    if (error instanceof RequestBuildError) return error;
    throw error;
  }
  return out;
}

/** Placeholders a request would carry as written: other tools' syntax, or a known `$name` left unfilled. */
function placeholders(requests: BuiltRequest[], declared: ReadonlySet<string>): string[] {
  const found: string[] = [];
  for (const r of requests) {
    const text = [r.url, ...Object.values(r.headers), r.body].join('\n');
    for (const m of text.matchAll(/\$\{[^}]*\}|\{\{[^}]*\}\}|\$([A-Za-z_]\w*)/g)) {
      if (m[1] === undefined || declared.has(m[1]) || predefinedVariable(m[1])) found.push(m[0]);
      else found.push(`literal ${m[0]}`);
    }
  }
  return found;
}

/** Errors saying a request cannot be filled in: with one of them the builder must refuse. */
const UNFILLABLE = new Set([
  'undeclared-variable',
  'variable-dash',
  'items-unavailable',
  'list-id-unavailable',
  'membership-unavailable',
]);

/** validate's errors against what the builder does, both ways; 'skipped' when the text is not JSON any more. */
function checkAgreement(label: string, text: string, baseDir: string, baseValues: TestValues): 'checked' | 'skipped' {
  const analysis = analyzeManifest(text, { baseDir, rootDir: REPO, files: nodeFiles });
  if (analysis.doc.syntaxProblems.length > 0) return 'skipped';
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  const literalWarned = analysis.diagnostics.some((d) => d.code === 'literal-dollar-key');
  const built = buildAll(analysis, valuesFor(analysis, baseValues));
  const declared = new Set(analysis.model.declarations.map((d) => d.name));
  const left = built instanceof RequestBuildError ? [] : placeholders(built, declared);
  const unfilled = left.filter((p) => !p.startsWith('literal '));
  const literal = left.filter((p) => p.startsWith('literal '));

  if (errors.length === 0) {
    assert.ok(
      !(built instanceof RequestBuildError),
      `${label}: validate has no error, but the builder refuses: ${built instanceof Error ? built.message : ''}`,
    );
    assert.deepStrictEqual(
      unfilled,
      [],
      `${label}: validate has no error, but a request carries ${unfilled.join(', ')}`,
    );
    assert.ok(
      literal.length === 0 || literalWarned,
      `${label}: ${literal.join(', ')} sent literally without a literal-dollar-key warning`,
    );
  }
  const unfillable = errors.filter((e) => UNFILLABLE.has(e.code)).map((e) => e.code);
  if (unfillable.length > 0)
    assert.ok(built instanceof RequestBuildError, `${label}: validate says ${unfillable.join(', ')}, yet it builds`);
  if (errors.some((e) => e.code === 'foreign-placeholder'))
    assert.ok(
      built instanceof RequestBuildError || unfilled.length > 0,
      `${label}: validate says foreign-placeholder, yet every request is filled in`,
    );
  return 'checked';
}

/** The manifest and each mutation of it; a mutation that breaks the JSON tests nothing, so none may. */
function checkAll(name: string, text: string, baseDir: string, values: TestValues): void {
  assert.strictEqual(checkAgreement(name, text, baseDir, values), 'checked', `${name} is not JSON`);
  const skipped = mutations(text)
    .filter((m) => checkAgreement(`${name}: ${m.name}`, m.text, baseDir, values) === 'skipped')
    .map((m) => m.name);
  assert.deepStrictEqual(skipped, [], `${name}: ${skipped.length} mutations break the JSON and test nothing`);
}

describe('validate and the request builder agree', function () {
  this.timeout(120_000);
  const cohort = (p: Partner) => p.analysis.model.kind === 'cohort-list' || p.analysis.model.kind === 'cohort-property';

  for (const partner of partners().filter(cohort)) {
    it(`on ${partner.name} and ${mutations(partner.text).length} mutations of it`, () => {
      checkAll(partner.name, partner.text, partner.folder, partner.values);
    });
  }

  for (const kind of ['list', 'property'] as const) {
    it(`on the ${kind} example and its mutations`, () => {
      const text = readExample(kind);
      const values = { ...partners()[0].values, variables: emptyRecord<string>() };
      const dir = path.dirname(EXAMPLE_FILES[kind]);
      checkAll(kind, text, dir, values);
    });
  }
});
