import type { Severity } from '../base/diagnostic';
import type { Range } from '../base/text';

/** One problem in one file, as every report format prints it (the file relative to where the CLI ran). */
export interface FileDiagnostic {
  file: string;
  range: Range;
  severity: Severity;
  code: string;
  message: string;
}

/** `--fail-on`: the lowest severity that fails a run. `none` never fails on findings. */
export type FailOn = 'error' | 'warning' | 'info' | 'none';

const RANK: Record<Severity, number> = { error: 3, warning: 2, information: 1, hint: 1 };
const THRESHOLD: Record<FailOn, number> = { error: 3, warning: 2, info: 1, none: Infinity };

export function failsOn(severity: Severity, failOn: FailOn): boolean {
  return RANK[severity] >= THRESHOLD[failOn];
}

export interface Counts {
  errors: number;
  warnings: number;
  other: number;
}

export function countsOf(diagnostics: readonly FileDiagnostic[]): Counts {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
  return { errors, warnings, other: diagnostics.length - errors - warnings };
}

/** What a validate run produced: the files it checked and what it found in them. */
export interface ValidateRun {
  files: string[];
  diagnostics: FileDiagnostic[];
  failOn: FailOn;
}
