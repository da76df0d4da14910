import { mask } from '../base/mask';
import type { BuiltRequest } from './request';

export { ALLOWED_METHODS, methodProblem } from './method';

/** Characters a terminal may act on when the command is pasted: C0, DEL, C1, line separators, bidi controls. */
// eslint-disable-next-line no-control-regex
const UNSAFE_IN_TERMINAL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** Words that no POSIX shell reads as anything but themselves. */
const PLAIN_WORD = /^[A-Za-z0-9_./:@%+,-]+$/;

/**
 * One shell word, written by hand rather than with shell-quote's `quote`: that backslash-escapes `?`, `=`
 * and `:` (an unreadable URL, whose escaped `?` shell-quote's own `parse` then reads as a glob, breaking
 * `import --curl`), uses double quotes for a word holding `'`, and leaves control characters raw. Here a
 * word is single-quoted, where a POSIX shell gives no character a meaning and only `'` needs closing and
 * reopening (`'\\''`). A word holding control characters is written in ANSI-C quoting, `$'...'`, with each
 * of them as an escape: raw, pasted into a terminal, they act as keystrokes (ESC [201~ ends bracketed paste).
 */
function shellWord(word: string): string {
  if (PLAIN_WORD.test(word)) return word;
  if (!UNSAFE_IN_TERMINAL.test(word)) return `'${word.replace(/'/g, `'\\''`)}'`;
  let out = "$'";
  for (const c of word) {
    const code = c.codePointAt(0) ?? 0;
    if (c === '\\' || c === "'") out += `\\${c}`;
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (UNSAFE_IN_TERMINAL.test(c)) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += c;
  }
  return `${out}'`;
}

/**
 * The request as a cURL command; secrets masked unless `withSecrets`. Every word is quoted (method
 * included) and the URL is given with `--url`, so nothing in the manifest runs or becomes an option. Callers
 * refuse a method that is not allowed (`methodProblem`) before they show or copy it; quoting holds regardless.
 */
export function toCurl(request: BuiltRequest, withSecrets = false): string {
  const hide = (text: string) => (withSecrets ? text : mask(text, request.secrets));
  const words = (...list: string[]) => list.map(shellWord).join(' ');
  const parts = [words('curl', '-X', request.method, '--url', hide(request.url))];
  for (const [key, value] of Object.entries(request.headers)) parts.push(words('-H', `${key}: ${hide(value)}`));
  if (request.body !== '') parts.push(words('--data-raw', hide(request.body)));
  return parts.join(' \\\n  ');
}
