import * as fs from 'fs';
import * as path from 'path';
import { analyzeManifest, type ManifestAnalysis } from '../../server/src/analysis';
import { emptyRecord } from '../../server/src/base/records';
import { nodeFiles } from '../../server/src/base/files';
import type { MockFixtures } from '../../server/src/mock/manifestHandler';
import { DEFAULT_TEST_VALUES, type TestValues } from '../../server/src/testing/values';
import { REPO } from './lspClient';

/** Integrations modelled on real partner APIs (each manifest cites the documentation it follows). */
export const CORPUS = path.join(REPO, 'test', 'fixtures', 'partners');

export interface Partner {
  name: string;
  folder: string;
  manifestFile: string;
  text: string;
  analysis: ManifestAnalysis;
  fixtures: MockFixtures;
  values: TestValues;
  goldenFile: string;
}

function readJson(file: string): unknown {
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as unknown) : {};
}

export function partners(): Partner[] {
  return fs
    .readdirSync(CORPUS)
    .filter((name) => fs.statSync(path.join(CORPUS, name)).isDirectory())
    .sort()
    .map((name) => {
      const folder = path.join(CORPUS, name);
      const manifestFile = path.join(folder, `${name}.amplitude.json`);
      const text = fs.readFileSync(manifestFile, 'utf8');
      const variables = emptyRecord<string>();
      Object.assign(variables, readJson(path.join(folder, 'values.json')));
      return {
        name,
        folder,
        manifestFile,
        text,
        analysis: analyzeManifest(text, { baseDir: folder, rootDir: REPO, files: nodeFiles }),
        fixtures: readJson(path.join(folder, 'mock.json')) as MockFixtures,
        values: { ...DEFAULT_TEST_VALUES, variables },
        goldenFile: path.join(folder, 'requests.golden.json'),
      };
    });
}

/** One partner's manifest text, for specs that plant one mistake in it. */
export function readPartner(name: string): string {
  return fs.readFileSync(path.join(CORPUS, name, `${name}.amplitude.json`), 'utf8');
}

/** Analyses text as if it were that partner's manifest (same folder, so file checks see its logo). */
export function analyzePartnerAs(name: string, text: string): ManifestAnalysis {
  return analyzeManifest(text, { baseDir: path.join(CORPUS, name), rootDir: REPO, files: nodeFiles });
}
