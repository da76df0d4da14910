/**
 * The one printer for text that reaches a terminal or a CI log (manifest keys, file names, a partner's JSON
 * keys, response text): nothing in it can act on the terminal or on the CI runner.
 *
 * - C0 controls and ESC are shown as `\x1b`; DEL, C1 controls (a lone U+009B is a CSI), line and paragraph
 *   separators and bidi controls (Trojan Source) as `\u009b`. Escape sequences (CSI: line erase; OSC: the
 *   title, OSC 52 the clipboard) are therefore shown, not run. `\u` is also JSON's escape, so JSON output
 *   stays JSON. Newlines and tabs stay: they are the layout.
 * - A line that starts (after any whitespace) with `::` would be a GitHub Actions workflow command
 *   (`::error`, `::add-mask::`, `::stop-commands::`): it gets a `\` before the `::`.
 */

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const OWN_COLOUR = /\u001b\[(?:0|31|33|36)m/g;
const WORKFLOW_COMMAND = /^(\s*)::/gm;

function escapeControl(c: string): string {
  const code = c.charCodeAt(0);
  return code < 0x20 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * The control characters of `text` escaped, workflow commands left: for GitHub annotations, whose writer
 * escaped their data, and text whose fields went through `terminalField`. `keepOwnColours`: our own four SGR
 * colour codes (reports/text.ts) stay as they are.
 */
export function withoutControls(text: string, keepOwnColours = false): string {
  let out = '';
  let from = 0;
  if (keepOwnColours) {
    for (const m of text.matchAll(OWN_COLOUR)) {
      out += text.slice(from, m.index).replace(CONTROL, escapeControl) + m[0];
      from = m.index + m[0].length;
    }
  }
  return out + text.slice(from).replace(CONTROL, escapeControl);
}

/** `text` safe to print: its control characters escaped and its workflow commands neutralised. */
export function terminalText(text: string): string {
  return withoutControls(text).replace(WORKFLOW_COMMAND, '$1\\::');
}

/** One field of a line (a name, a key, a message): as `terminalText`, and a newline or tab in it shown too. */
export function terminalField(text: string): string {
  return terminalText(text.replace(/[\n\t]/g, (c) => (c === '\n' ? '\\n' : '\\t')));
}
