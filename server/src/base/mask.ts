/** A fixed mask: neither the secret nor its length shows. */
export const MASK = '••••••••';

const lowerHex = (text: string) => text.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
const jsonEscaped = (text: string) => JSON.stringify(text).slice(1, -1);
const htmlEscaped = (text: string) =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

/**
 * Every form a secret can take in what we print, send or show: raw, URL-encoded (path and form
 * encodings, either hex case), JSON-escaped (once, and twice for JSON output of a JSON body), base64,
 * HTML-escaped, and inside a single-quoted shell word (cURL).
 */
export function secretForms(secret: string): string[] {
  if (secret === '') return [];
  const component = encodeURIComponent(secret);
  const form = new URLSearchParams({ s: secret }).toString().slice(2);
  const forms = [
    secret,
    component,
    lowerHex(component),
    encodeURI(secret),
    lowerHex(encodeURI(secret)),
    form,
    lowerHex(form),
    jsonEscaped(secret),
    jsonEscaped(jsonEscaped(secret)),
    jsonEscaped(component),
    Buffer.from(secret, 'utf8').toString('base64'),
    Buffer.from(secret, 'utf8').toString('base64url'),
    htmlEscaped(secret),
    secret.replace(/'/g, `'\\''`),
  ];
  return [...new Set(forms.filter((f) => f !== ''))];
}

/** Every form of every secret replaced by MASK; the longest first, so no form leaves a part of another. */
export function mask(text: string, secrets: readonly string[]): string {
  if (secrets.length === 0 || text === '') return text;
  const forms = [...new Set(secrets.flatMap(secretForms))].sort((a, b) => b.length - a.length);
  let out = text;
  for (const form of forms) if (out.includes(form)) out = out.split(form).join(MASK);
  return out;
}
