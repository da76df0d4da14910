import { runChecks } from './diagnostics';
import type { FileAccess } from './base/files';
import type { CheckContext, ManifestDiagnostic } from './diagnostics/types';
import { usedNames } from './manifest/usage';
import { parseManifest, type ManifestDocument } from './manifest/document';
import { buildModel, type ManifestModel } from './manifest/model';
import { buildVariablesTable, type VariablesTable } from './manifest/variablesTable';

export interface AnalysisOptions {
  /** Folder of the manifest file; file checks are skipped without it. */
  baseDir?: string;
  /** The workspace folder: referenced files must stay inside it (default: the manifest's folder). */
  rootDir?: string;
  files?: FileAccess;
  /** The analysis of the version this text was edited from (the editor's): parts of it are reused. */
  previous?: ManifestDocument;
}

/** Everything known about one version of one manifest: computed once, read by every feature. */
export interface ManifestAnalysis {
  doc: ManifestDocument;
  model: ManifestModel;
  diagnostics: ManifestDiagnostic[];
  variables(): VariablesTable;
}

export function analyzeManifest(text: string, options: AnalysisOptions = {}): ManifestAnalysis {
  const doc = parseManifest(text, options.previous);
  const model = buildModel(doc);
  const scope = options.baseDir ? { baseDir: options.baseDir, rootDir: options.rootDir ?? options.baseDir } : undefined;
  const context: CheckContext = { doc, model, scope, files: options.files };
  const diagnostics = runChecks(context);
  let table: VariablesTable | undefined;
  return {
    doc,
    model,
    diagnostics,
    variables: () => (table ??= buildVariablesTable(doc, model, usedNames(context).parameters)),
  };
}
