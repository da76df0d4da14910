import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyzeManifest } from '../../server/src/analysis';
import type { ManifestDiagnostic } from '../../server/src/base/diagnostic';
import { nodeFiles } from '../../server/src/base/files';
import {
  contractDiagnostics,
  descriptionSource,
  loadFromSource,
  type ContractOptions,
} from '../../server/src/contract';
import { REPO } from '../helpers/lspClient';

export const CONTRACT_FIXTURES = path.join(REPO, 'test', 'fixtures', 'contract');
/** The workspace of the specs: the contract fixtures and the partner fixtures they describe. */
export const FIXTURES = path.join(REPO, 'test', 'fixtures');
export const PARTNERS = path.join(FIXTURES, 'partners');

export function fixture(...parts: string[]): string {
  return path.join(CONTRACT_FIXTURES, ...parts);
}

export function readFixture(...parts: string[]): string {
  return fs.readFileSync(fixture(...parts), 'utf8');
}

/** `from` replaced by `to` once; fails when `from` is not in the text (a mutation that cannot happen proves nothing). */
export function plant(text: string, from: string, to: string): string {
  assert.ok(text.includes(from), `the manifest holds ${from}`);
  return text.replace(from, to);
}

export interface Found {
  text: string;
  /** The manifest checks' findings: the fixtures must stay clean under them. */
  manifest: ManifestDiagnostic[];
  contract: ManifestDiagnostic[];
}

/** The manifest at `file` (or `text` in its place) with its own checks and its contract checks. */
export async function contractOf(
  file: string,
  text = fs.readFileSync(file, 'utf8'),
  options: Omit<ContractOptions, 'scope'> & { flag?: string } = {},
): Promise<Found> {
  const baseDir = path.dirname(file);
  const scope = { baseDir, rootDir: FIXTURES };
  const analysis = analyzeManifest(text, { baseDir, rootDir: FIXTURES, files: nodeFiles });
  const source = descriptionSource(analysis.doc.value, scope, options.flag);
  assert.ok(source, 'the manifest names an API description');
  const load = await loadFromSource(source);
  const contract = await contractDiagnostics(analysis.doc, analysis.model, load, { ...options, scope });
  return { text, manifest: analysis.diagnostics, contract };
}

/** [code, severity, the text under the range] of each finding. */
export function summary(found: Found): [string, string, string][] {
  return found.contract.map((d) => [d.code, d.severity, found.text.slice(d.start, d.end)]);
}
