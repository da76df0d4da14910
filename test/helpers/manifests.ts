import * as fs from 'fs';
import * as path from 'path';
import { applyEdits, type Edit } from 'jsonc-parser';
import { analyzeManifest, type ManifestAnalysis } from '../../server/src/analysis';
import { nodeFiles } from '../../server/src/base/files';
import { parseManifest } from '../../server/src/manifest/document';
import { buildModel, type ManifestModel } from '../../server/src/manifest/model';
import type { StreamingModel } from '../../server/src/manifest/streaming';
import { REPO } from './lspClient';

export const EXAMPLES = path.join(REPO, 'examples');

export const EXAMPLE_FILES = {
  list: path.join(EXAMPLES, 'list-based', 'pushwave-lists.amplitude.json'),
  property: path.join(EXAMPLES, 'property-based', 'tagline-crm.amplitude.json'),
  streaming: path.join(EXAMPLES, 'event-streaming', 'beacon-events.amplitude.json'),
  ingestion: path.join(EXAMPLES, 'event-ingestion', 'relay-source.amplitude.json'),
} as const;

export function readExample(kind: keyof typeof EXAMPLE_FILES): string {
  return fs.readFileSync(EXAMPLE_FILES[kind], 'utf8');
}

/** Analyses text as if it were the example file of `kind` (same folder, so file checks see its logo). */
export function analyzeAs(kind: keyof typeof EXAMPLE_FILES, text: string): ManifestAnalysis {
  return analyzeManifest(text, { baseDir: path.dirname(EXAMPLE_FILES[kind]), rootDir: REPO, files: nodeFiles });
}

/** Replaces the one occurrence of `from`; fails loudly if the example changed under the test. */
export function mutate(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`Expected exactly one "${from}" in the manifest`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

export function textAt(text: string, span: { start: number; end: number }): string {
  return text.slice(span.start, span.end);
}

export function codesOf(analysis: ManifestAnalysis): string[] {
  return analysis.diagnostics.map((d) => d.code);
}

export function applyFix(text: string, edits: Edit[]): string {
  return applyEdits(text, edits);
}

/** The model of a manifest written as a JS value (the tests' builders): what every feature takes. */
export function modelOf(json: Record<string, unknown>): ManifestModel {
  return buildModel(parseManifest(JSON.stringify(json)));
}

/** The streaming part of a manifest written as a JS value. */
export function streamingOf(json: Record<string, unknown>): StreamingModel {
  return modelOf(json).streaming;
}
