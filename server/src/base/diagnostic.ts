import type { Edit } from 'jsonc-parser';
import type { Span } from './text';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** A suggested fix: text edits (offsets into the checked text), applied together. */
export interface Fix {
  title: string;
  /** Computed only when the fix is chosen (codeAction/resolve): an edit can cost a parse of the whole text. */
  edits: () => Edit[];
  preferred?: boolean;
}

/** The one shape every check reports in, for manifests and templates: the server and the CLI both read it. */
export interface ManifestDiagnostic extends Span {
  code: string;
  severity: Severity;
  message: string;
  /** Shown faded in the editor (unused declarations). */
  unnecessary?: boolean;
  /** The fixes on offer; titles are cheap, each fix's edits are computed when it is chosen. */
  fixes?: Fix[];
}
