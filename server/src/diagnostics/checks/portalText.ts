import { readPortalText, scanPortalText } from '../../manifest/portalText';
import type { ManifestModel } from '../../manifest/model';
import type { ManifestCheck, ManifestDiagnostic } from '../types';

/** Names Amplitude fills with text (a cohort's name, id and URL). */
const TEXT_PREDEFINED = new Set(['amp_cohort_name', 'amp_cohort_id', 'amp_cohort_url']);

const isJsonText = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

/**
 * Why this variable's value is text that is not JSON, so a bare use breaks the payload once filled (undefined
 * when its value may be JSON: a String custom field the customer may fill with a number, `$items`, the list id).
 */
function textValueReason(name: string, model: ManifestModel): string | undefined {
  if (TEXT_PREDEFINED.has(name)) return 'Amplitude fills it with text';
  const declaration = model.declarations.find((d) => d.name === name);
  if (declaration?.source === 'authentication') return 'it is a credential, text the customer types';
  if (declaration?.source === 'mappingField') return "it is a user's property value, text";
  if (declaration?.source !== 'customField') return undefined;
  const field = model.cohort.customFields.find((f) => f.variable === name);
  if (!field) return undefined;
  if (field.secret) return 'it is a secret field, text the customer types';
  if (field.options.some((o) => !isJsonText(o.value))) return 'some of its options are text';
  const fallback = field.default;
  if (fallback !== undefined && !isJsonText(fallback)) return 'its default is text';
  return undefined;
}

/** A payload or item template in the portal editor's text must be JSON once its variables have values. */
export const portalTextCheck: ManifestCheck = {
  codes: ['payload-text-not-json'],
  run: ({ doc, model }) => {
    const out: ManifestDiagnostic[] = [];
    for (const endpoint of model.endpoints) {
      for (const key of ['payloadText', 'itemTemplateText']) {
        const text = key === 'payloadText' ? endpoint.payloadText : endpoint.itemTemplateText;
        if (text === undefined) continue;
        const { problem } = readPortalText(text);
        const span = doc.stringContentSpanAt([...endpoint.path, key]);
        if (problem) {
          out.push({
            ...span,
            code: 'payload-text-not-json',
            severity: 'error',
            message:
              `${key} is not JSON once its variables have values (${problem.message}). Bare variables stand for ` +
              'JSON values ($items), quoted ones for text ("$amp_cohort_name").',
          });
          continue;
        }
        for (const hole of scanPortalText(text)) {
          const reason = hole.quoted ? undefined : textValueReason(hole.name, model);
          if (!reason) continue;
          out.push({
            ...span,
            code: 'payload-text-not-json',
            severity: 'error',
            message:
              `${key} is not JSON once its variables have values: $${hole.name} is bare, so its value goes in as ` +
              `it is, and ${reason}. Quote it: "$${hole.name}".`,
          });
        }
      }
    }
    return out;
  },
};
