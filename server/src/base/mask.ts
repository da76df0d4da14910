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
    secret.replace(/(["\\$`])/g, '\\$1'),
  ];
  return [...new Set(forms.filter((f) => f !== ''))];
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
/** Hex digits that match either case: `2f` -> `2[fF]`. */
const anyCaseHex = (hex: string) => hex.replace(/[a-f]/g, (d) => `[${d}${d.toUpperCase()}]`);
const JSON_SHORT: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  '\b': 'b',
  '\f': 'f',
  '\n': 'n',
  '\r': 'r',
  '\t': 't',
};
const HTML_ENTITIES: Record<string, string[]> = {
  '&': ['&amp;', '&#38;'],
  '<': ['&lt;', '&#60;'],
  '>': ['&gt;', '&#62;'],
  '"': ['&quot;', '&#34;'],
  "'": ['&#39;', '&apos;'],
};

/**
 * Every way one character of a secret may be written, each character on its own (so any mix): as it is,
 * JSON-escaped once or more (`\/`, `\"`, `\u002F` in either hex case, `\\u002f` in JSON inside JSON),
 * HTML-escaped, or percent-encoded in either hex case (`+` for a space).
 */
function characterPattern(c: string): string {
  const forms = [escapeRegex(c)];
  let unicode = '';
  for (let i = 0; i < c.length; i++) unicode += `\\\\+u${anyCaseHex(c.charCodeAt(i).toString(16).padStart(4, '0'))}`;
  forms.push(unicode);
  if (c in JSON_SHORT) forms.push(`\\\\+${escapeRegex(JSON_SHORT[c])}`);
  for (const entity of HTML_ENTITIES[c] ?? []) forms.push(entity);
  forms.push([...Buffer.from(c, 'utf8')].map((b) => `%${anyCaseHex(b.toString(16).padStart(2, '0'))}`).join(''));
  if (c === ' ') forms.push('\\+');
  return `(?:${forms.join('|')})`;
}

const patterns = new Map<string, RegExp>();

/** One pattern for a secret written with any mix of its characters' escapes (a few kept: mask runs per line). */
function secretPattern(secret: string): RegExp {
  let pattern = patterns.get(secret);
  if (!pattern) {
    if (patterns.size >= 64) patterns.clear();
    pattern = new RegExp([...secret].map(characterPattern).join(''), 'g');
    patterns.set(secret, pattern);
  }
  return pattern;
}

/**
 * Every form of every secret replaced by MASK; the longest first, so no form leaves a part of another. Then
 * each secret once more as a pattern that takes each character in any of its escapes: a partner may echo
 * a secret (in a value or as a JSON key) with some characters escaped and others not.
 */
export function mask(text: string, secrets: readonly string[]): string {
  if (secrets.length === 0 || text === '') return text;
  const forms = [...new Set(secrets.flatMap(secretForms))].sort((a, b) => b.length - a.length);
  let out = text;
  for (const form of forms) if (out.includes(form)) out = out.split(form).join(MASK);
  const byLength = [...new Set(secrets)].filter((s) => s !== '').sort((a, b) => b.length - a.length);
  for (const secret of byLength) out = out.replace(secretPattern(secret), MASK);
  return out;
}
