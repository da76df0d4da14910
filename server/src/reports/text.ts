import type { Severity } from '../base/diagnostic';
import { terminalField } from '../base/terminal';
import type { FileDiagnostic } from './finding';

const COLORS: Record<Severity, string> = { error: '31', warning: '33', information: '36', hint: '36' };

/** `file:line:col severity code message`, one per line; colored only when asked (a TTY without NO_COLOR). */
export function formatText(diagnostics: readonly FileDiagnostic[], color = false): string {
  return diagnostics
    .map((d) => {
      // Names and messages quote the manifest: escaped here, before our own colour codes go in.
      const where = `${terminalField(d.file)}:${d.range.start.line + 1}:${d.range.start.character + 1}`;
      const severity = color ? `\u001b[${COLORS[d.severity]}m${d.severity}\u001b[0m` : d.severity;
      return `${where} ${severity} ${terminalField(d.code)} ${terminalField(d.message)}`;
    })
    .join('\n');
}

/** Color when the stream is a terminal and NO_COLOR (https://no-color.org) is unset or empty. */
export function wantsColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && !env.NO_COLOR && env.TERM !== 'dumb';
}
