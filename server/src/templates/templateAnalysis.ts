import type { ManifestDiagnostic } from '../diagnostics/types';
import { arrayAt, stringAt } from '../manifest/value';
import { GUARANTEED_INPUT_FIELDS } from '../freemarker/sampleEvents';
import { findReferences } from './templateModel';

/** What a template's manifest declares: parameters and user property mappings. */
export interface TemplateManifest {
  /** The manifest file, for messages. */
  file: string;
  parameters: string[];
  mappedFields: string[];
}

export function templateManifestFrom(file: string, manifest: unknown): TemplateManifest {
  const names = (key: string) =>
    (arrayAt(manifest, key) ?? []).map((p) => stringAt(p, 'name')).filter((n): n is string => !!n);
  return { file, parameters: names('parameters'), mappedFields: names('userPropertyMappings') };
}

/**
 * Checks that need no engine: names the manifest does not declare, and `input` fields used without a
 * guard where Amplitude does not guarantee them.
 */
export function checkTemplate(text: string, manifest: TemplateManifest | undefined): ManifestDiagnostic[] {
  const out: ManifestDiagnostic[] = [];
  for (const ref of findReferences(text)) {
    if (ref.root === 'input') {
      if (ref.guarded || GUARANTEED_INPUT_FIELDS.has(ref.name)) continue;
      const insertAt = text.indexOf('}', ref.end);
      const closesHere =
        insertAt >= 0 && /^[\w.$[\]"?()]*$/.test(text.slice(ref.end, insertAt).replace(/\?[a-z_]+(\([^)]*\))?/g, ''));
      out.push({
        start: ref.start,
        end: ref.end,
        code: 'unguarded-input',
        severity: 'warning',
        message: `input.${ref.name} is not guaranteed: Amplitude only has it when the customer's events carry it, and a missing value fails the whole event. Add a default (input.${ref.name}!"") or test it with ??.`,
        fixes: closesHere
          ? [
              {
                title: `Default to "" when input.${ref.name} is missing`,
                edits: () => [{ offset: ref.end, length: 0, content: '!""' }],
                preferred: true,
              },
            ]
          : undefined,
      });
      continue;
    }
    if (!manifest) continue;
    const declared = ref.root === 'parameters' ? manifest.parameters : manifest.mappedFields;
    if (declared.includes(ref.name)) continue;
    out.push({
      start: ref.start,
      end: ref.end,
      code: ref.root === 'parameters' ? 'undeclared-parameter' : 'undeclared-mapped-field',
      severity: 'error',
      message:
        ref.root === 'parameters'
          ? `Parameter "${ref.name}" is not declared in ${manifest.file}: declared are ${manifest.parameters.map((p) => `"${p}"`).join(', ') || 'none'}.`
          : `mappedFields.${ref.name}: "${ref.name}" is not a user property mapping in ${manifest.file}: declared are ${manifest.mappedFields.map((p) => `"${p}"`).join(', ') || 'none'}.`,
    });
  }
  return out;
}
