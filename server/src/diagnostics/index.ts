import { availabilityCheck } from './checks/availability';
import { bidiControlCheck } from './checks/bidiControl';
import { declarationsCheck } from './checks/declarations';
import { errorClassificationsCheck } from './checks/errorClassifications';
import { errorsAndCopyCheck } from './checks/errorsAndCopy';
import { filesCheck } from './checks/files';
import { foreignPlaceholderCheck } from './checks/foreignPlaceholder';
import { kindFieldsCheck } from './checks/kindFields';
import { listIdPathCheck } from './checks/listIdPath';
import { literalDollarKeyCheck } from './checks/literalDollarKey';
import { membershipCheck } from './checks/membership';
import { cohortsOverwriteCheck } from './checks/cohortsOverwrite';
import { missingItemsCheck } from './checks/missingItems';
import { portalTextCheck } from './checks/portalText';
import { predefinedAliasCheck } from './checks/predefinedAlias';
import { schemaCheck } from './checks/schema';
import { setupStepsCheck } from './checks/setupSteps';
import { slugifyCheck } from './checks/slugify';
import { syntaxCheck } from './checks/syntax';
import { undeclaredVariableCheck } from './checks/undeclaredVariable';
import { unusedVariableCheck } from './checks/unusedVariable';
import { urlsCheck } from './checks/urls';
import { variableDashCheck } from './checks/variableDash';
import type { CheckContext, ManifestCheck, ManifestDiagnostic } from './types';
import { withoutDisabled } from '../base/diagnostic';

/** Every check, in the order their findings are listed. */
export const MANIFEST_CHECKS: readonly ManifestCheck[] = [
  syntaxCheck,
  schemaCheck,
  kindFieldsCheck,
  declarationsCheck,
  undeclaredVariableCheck,
  variableDashCheck,
  literalDollarKeyCheck,
  foreignPlaceholderCheck,
  predefinedAliasCheck,
  unusedVariableCheck,
  missingItemsCheck,
  portalTextCheck,
  availabilityCheck,
  listIdPathCheck,
  membershipCheck,
  cohortsOverwriteCheck,
  errorClassificationsCheck,
  errorsAndCopyCheck,
  urlsCheck,
  bidiControlCheck,
  filesCheck,
  setupStepsCheck,
  slugifyCheck,
];

/** Runs every check; one that throws becomes a diagnostic instead of taking the others down. */
export function runChecks(
  context: CheckContext,
  checks: readonly ManifestCheck[] = MANIFEST_CHECKS,
): ManifestDiagnostic[] {
  if (context.doc.tooDeep) return withoutDisabled(syntaxCheck.run(context));
  return runGuarded(checks, context);
}

/** Runs checks of any kind over one context, in order; one that throws is an `internal-error`, the rest still run. */
export function runGuarded<C>(
  checks: readonly { codes: readonly string[]; run(context: C): ManifestDiagnostic[] }[],
  context: C,
): ManifestDiagnostic[] {
  const out: ManifestDiagnostic[] = [];
  for (const check of checks) {
    try {
      out.push(...check.run(context));
    } catch (error) {
      out.push({
        start: 0,
        end: 0,
        code: 'internal-error',
        severity: 'error',
        message:
          `The ${check.codes[0]} check failed on this manifest ` +
          `(${error instanceof Error ? error.message : String(error)}). Other checks still ran; please report this.`,
      });
    }
  }
  return withoutDisabled(out).sort((a, b) => a.start - b.start || a.end - b.end);
}
