import { fidelityChecks } from './fidelity';
import type { StreamingModel } from '../manifest/streaming';
import type { StreamingRole } from '../manifest/usage';
import { withoutDisabled, type ManifestDiagnostic } from '../base/diagnostic';
import { GUARANTEED_INPUT_FIELDS } from '../freemarker/sampleEvents';
import { jsonOutputChecks } from './jsonChecks';
import { findReferences, type DataModelReference } from '../ftl/references';
import { inputDefaultFixes } from './inputDefault';
import { syntaxChecks } from './syntaxChecks';

/** What a template's manifest declares: parameters and user property mappings. */
export interface TemplateManifest {
  /** The manifest file, for messages. */
  file: string;
  parameters: string[];
  mappedFields: string[];
  /** Which request names the template: events (`request`) or identifies (`identify`). */
  role: StreamingRole;
}

export function templateManifestFrom(
  file: string,
  streaming: StreamingModel,
  role: StreamingRole = 'events',
): TemplateManifest {
  const names = (declared: readonly { name: string }[]) => declared.map((p) => p.name);
  return { file, parameters: names(streaming.parameters), mappedFields: names(streaming.userPropertyMappings), role };
}

function unguardedInput(text: string, ref: DataModelReference): ManifestDiagnostic | undefined {
  if (ref.guarded || GUARANTEED_INPUT_FIELDS.has(ref.name)) return undefined;
  return {
    start: ref.start,
    end: ref.end,
    code: 'unguarded-input',
    severity: 'warning',
    message:
      `${ref.path} is not guaranteed: Amplitude's docs name only the most common fields (user_id, ` +
      'event_type, event_time) as ones to rely on, anonymous events have no user_id, and a missing value fails ' +
      `the whole event. Add a default ((${ref.path})!"") or test it with ??.`,
    fixes: inputDefaultFixes(text, ref),
  };
}

function undeclaredName(ref: DataModelReference, manifest: TemplateManifest): ManifestDiagnostic | undefined {
  const parameter = ref.root === 'parameters';
  const declared = parameter ? manifest.parameters : manifest.mappedFields;
  if (declared.includes(ref.name)) return undefined;
  const list = declared.map((p) => `"${p}"`).join(', ') || 'none';
  return {
    start: ref.start,
    end: ref.end,
    code: parameter ? 'undeclared-parameter' : 'undeclared-mapped-field',
    severity: 'error',
    message: parameter
      ? `Parameter "${ref.name}" is not declared in ${manifest.file}: declared are ${list}.`
      : `mappedFields.${ref.name}: "${ref.name}" is not a user property mapping in ${manifest.file}: ` +
        `declared are ${list}.`,
  };
}

/**
 * Checks that need no engine: names the manifest does not declare, `input` fields used without a guard
 * where Amplitude does not guarantee them, and interpolations that break JSON for some events
 * (templates/jsonChecks.ts).
 */
export function checkTemplate(text: string, manifest: TemplateManifest | undefined): ManifestDiagnostic[] {
  const out: ManifestDiagnostic[] = [];
  for (const ref of findReferences(text)) {
    const found = ref.root === 'input' ? unguardedInput(text, ref) : manifest && undeclaredName(ref, manifest);
    if (found) out.push(found);
  }
  out.push(...jsonOutputChecks(text), ...fidelityChecks(text), ...syntaxChecks(text));
  return withoutDisabled(out).sort((a, b) => a.start - b.start);
}
