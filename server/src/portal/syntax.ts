import { portalTextToJson, scanPortalText } from '../manifest/portalText';
import { MEMBERSHIP_VARIABLE, predefinedVariable } from '../manifest/variables';

/**
 * The manifest's JSON form <-> the portal editor's text. In the portal a variable is replaced as text:
 * `$items` bare (its value is a JSON array), `"$amp_cohort_name"` inside quotes (its value is text). The
 * JSON form writes both as a string that is exactly the variable; which way the portal writes it depends on
 * the value: a JSON array or boolean goes bare, everything else (text, ids) stays quoted.
 */
const BARE = new Set(['items', MEMBERSHIP_VARIABLE]);
const WHOLE = /^\$([A-Za-z_][A-Za-z0-9_]*)$/;

/** Written bare in the portal: the batch and the membership flag, whose values are not text. */
export function isBareInPortal(name: string): boolean {
  return BARE.has(predefinedVariable(name)?.name ?? name);
}

/** A JSON-form payload or item template as the portal's editor shows it. */
export function toPortalText(value: unknown, indent = 2): string {
  const marker = `__amplitude_bare_${Math.random().toString(36).slice(2)}__`;
  const marked = JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (typeof v !== 'string') return v;
      const m = WHOLE.exec(v);
      return m && isBareInPortal(m[1]) ? `${marker}${m[1]}` : v;
    },
    indent,
  );
  return (marked ?? '').replace(new RegExp(`"${marker}([A-Za-z0-9_]+)"`, 'g'), '$$$1');
}

export type ImportedPayload =
  | { ok: true; form: 'json'; value: unknown }
  | { ok: true; form: 'text'; text: string; why: string }
  | { ok: false; problem: string };

/**
 * Portal editor text -> the manifest's JSON form, or the text itself (`payloadText`) when the JSON form
 * cannot say it: a quoted variable whose value is not text ("$amp_cohort_membership" sent as a string),
 * or a bare one whose value is text.
 */
export function fromPortalText(text: string): ImportedPayload {
  const value = portalTextToJson(text);
  if (value === undefined) return { ok: false, problem: 'not JSON once its variables have values' };
  const lossy = scanPortalText(text).find((hole) => {
    if (hole.inKey) return false;
    const bare = isBareInPortal(hole.name);
    // "$amp_cohort_membership" alone in quotes is the text "true"; the JSON form would send a boolean.
    if (hole.quoted) return bare && text[hole.start - 1] === '"' && text[hole.end] === '"';
    // $list_id or $amp_cohort_name bare is raw text (a numeric id); the JSON form would quote text.
    return !bare;
  });
  if (!lossy) return { ok: true, form: 'json', value };
  const why = lossy.quoted
    ? `"$${lossy.name}" is quoted, so it is sent as text`
    : `$${lossy.name} is bare, so its text is sent without quotes`;
  return { ok: true, form: 'text', text, why: `${why}: kept as the portal's text (payloadText)` };
}
