import type { FileAccess, FileScope } from '../base/files';
import type { ManifestDiagnostic } from '../base/diagnostic';
import type { ManifestDocument } from '../manifest/document';
import type { ManifestModel } from '../manifest/model';

export type { Fix, ManifestDiagnostic, Severity } from '../base/diagnostic';

export interface CheckContext {
  doc: ManifestDocument;
  model: ManifestModel;
  /** The manifest's folder and workspace; undefined for an unsaved document (file checks are skipped). */
  scope?: FileScope;
  files?: FileAccess;
}

export interface ManifestCheck {
  /** The codes this check can report (their metadata: diagnostics/codes.ts). */
  codes: readonly string[];
  run(context: CheckContext): ManifestDiagnostic[];
}
