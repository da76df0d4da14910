// The manifest's editor features as pure functions, in process (as vscode-json-languageservice tests its
// services): the same answers test/lsp/ checks over a real connection, without a server in between.
import * as assert from 'assert';
import { applyEdits } from 'jsonc-parser';
import { codeActions, resolveCodeAction } from '../../server/src/language/codeActions';
import { completeVariables } from '../../server/src/language/completion/variables';
import { hoverSchema } from '../../server/src/language/hover/schema';
import { hoverVariable } from '../../server/src/language/hover/variables';
import { documentSymbols } from '../../server/src/language/navigation/symbols';
import {
  findDefinition,
  findReferences,
  prepareRename,
  RenameRefusal,
  renameVariable,
} from '../../server/src/language/navigation/variables';
import { analyzeAs, codesOf, mutate, readExample, textAt } from '../helpers/manifests';

const LIST = readExample('list');

/** The offset just after the first occurrence of `marker` (which must occur once). */
function after(text: string, marker: string): number {
  const at = text.indexOf(marker);
  assert.ok(at >= 0 && text.indexOf(marker, at + 1) < 0, `expected one "${marker}"`);
  return at + marker.length;
}

describe('manifest features, in process', () => {
  it('completes $ in the list-creation payload with the declared fields and the cohort names, not $items', () => {
    const text = mutate(LIST, '"source": "amplitude"', '"source": "$"');
    const answer = completeVariables({ analysis: analyzeAs('list', text), offset: after(text, '"source": "$') });
    const labels = answer.items.map((i) => i.label);
    assert.ok(labels.includes('$workspace_id'), labels.join(' '));
    assert.ok(labels.includes('$amp_cohort_name'), labels.join(' '));
    assert.ok(!labels.includes('$items'), 'list creation has no users: $items is not offered there');
    assert.strictEqual(answer.exclusive, true);
  });

  it('hovers a header variable with its declaration line and what the customer types', () => {
    const analysis = analyzeAs('list', LIST);
    const offset = after(LIST, '"X-Pushwave-Workspace": "$work');
    const hover = hoverVariable(analysis, offset);
    assert.ok(hover, 'a hover on $workspace_id');
    const declLine = LIST.slice(0, LIST.indexOf('"variable": "workspace_id"')).split('\n').length;
    assert.match(hover.markdown, new RegExp(`line ${declLine}\\b`));
    assert.match(hover.markdown, /Workspace ID/);
    assert.strictEqual(textAt(LIST, hover.span).replace(/^\$/, ''), 'workspace_id');
  });

  it('hovers a manifest key with its portal documentation', () => {
    const analysis = analyzeAs('list', LIST);
    const hover = hoverSchema(analysis, after(LIST, '"listIdP'));
    assert.ok(hover, 'a hover on listIdPath');
    assert.match(hover.markdown, /list ID/i);
  });

  it('goes to the declaration of a variable and finds every use', () => {
    const analysis = analyzeAs('list', LIST);
    const offset = after(LIST, '"X-Pushwave-Workspace": "$work');
    const definition = findDefinition(analysis, offset);
    assert.ok(definition);
    assert.strictEqual(textAt(LIST, definition), 'workspace_id');
    const uses = findReferences(analysis, offset, false).map((s) => textAt(LIST, s));
    assert.ok(uses.length >= 1 && uses.every((u) => u === '$workspace_id'), uses.join(' '));
    assert.strictEqual(findReferences(analysis, offset, true).length, uses.length + 1);
  });

  it('renames a custom field at its declaration and every use, and the result is still clean', () => {
    const analysis = analyzeAs('list', LIST);
    const offset = after(LIST, '"X-Pushwave-Workspace": "$work');
    assert.strictEqual(prepareRename(analysis, offset).placeholder, 'workspace_id');
    const edits = renameVariable(analysis, offset, 'team_id');
    const renamed = applyEdits(
      LIST,
      edits.map((e) => ({ offset: e.span.start, length: e.span.end - e.span.start, content: e.newText })),
    );
    assert.ok(!renamed.includes('workspace_id'));
    assert.ok(renamed.includes('"$team_id"'));
    assert.deepStrictEqual(codesOf(analyzeAs('list', renamed)), codesOf(analysis));
  });

  it('refuses a rename to an invalid name or onto another declared field, saying why', () => {
    const analysis = analyzeAs('list', LIST);
    const offset = after(LIST, '"X-Pushwave-Workspace": "$work');
    assert.throws(
      () => renameVariable(analysis, offset, '1st'),
      (e: Error) => e instanceof RenameRefusal,
    );
    assert.throws(() => renameVariable(analysis, offset, 'region'), /already declared/);
  });

  it("outlines the manifest in the portal's words: endpoints with method and URL, fields by variable", () => {
    const symbols = documentSymbols(analyzeAs('list', LIST));
    const endpoints = symbols.find((s) => s.name === 'Endpoints')?.children ?? [];
    assert.deepStrictEqual(
      endpoints.map((e) => e.name),
      ['List creation', 'Add users', 'Remove users'],
    );
    assert.strictEqual(endpoints[0].detail, 'POST https://api.$region.pushwave.example/v2/audiences');
    const fields = symbols.find((s) => s.name === 'Custom fields')?.children ?? [];
    assert.deepStrictEqual(
      fields.map((f) => `${f.name} ${f.detail}`),
      ['$workspace_id Workspace ID', '$region Data Center'],
    );
  });

  it('offers the rename of a misspelt key as the preferred quick fix, and the fix clears the problem', () => {
    const text = mutate(LIST, '"listIdPath"', '"listIdPth"');
    const analysis = analyzeAs('list', text);
    assert.ok(codesOf(analysis).includes('unknown-property'));
    const at = text.indexOf('"listIdPth"') + 2;
    const fixes = codeActions(analysis, { start: at, end: at }).filter((a) => a.kind === 'quickfix');
    const fix = fixes.find((a) => a.diagnostic?.code === 'unknown-property');
    assert.ok(fix, fixes.map((a) => a.title).join(' | '));
    const edits = resolveCodeAction(analysis, fix.key);
    assert.ok(edits);
    const fixed = applyEdits(text, edits);
    assert.strictEqual(fixed, LIST);
    assert.ok(!codesOf(analyzeAs('list', fixed)).includes('unknown-property'));
  });
});
