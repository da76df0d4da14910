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

/** Test-only (scripts/checkSpecs.ts): AMPLITUDE_DISABLE_DIAGNOSTIC=<code> drops that code, proving its spec fails. */
export function isDisabled(code: string): boolean {
  return globalThis.process?.env.AMPLITUDE_DISABLE_DIAGNOSTIC === code;
}

/** The findings minus the one code disabled for the spec proof (see isDisabled); the same list when none is. */
export function withoutDisabled<T extends { code: string }>(found: T[]): T[] {
  return globalThis.process?.env.AMPLITUDE_DISABLE_DIAGNOSTIC ? found.filter((d) => !isDisabled(d.code)) : found;
}
