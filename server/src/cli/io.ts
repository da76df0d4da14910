import { appendFileInside, FileWriteRefusedError, userFileRoot, writeFileOrThrow } from '../base/writes';

/** Where a command writes: standard output for results, standard error for what a person reads beside them. */
export interface Io {
  /** Standard output, shown safely (base/terminal.ts): the writer of a report need not escape. */
  out(text: string): void;
  /** Standard output with its workflow commands and our colours: GitHub annotations, colored text reports. */
  verbatim?(text: string, colored: boolean): void;
  err(text: string): void;
  /** The environment the command reads (GITHUB_ACTIONS, GITHUB_STEP_SUMMARY, NO_COLOR); process.env when absent. */
  env?: NodeJS.ProcessEnv;
  /** Standard output is a terminal: text may be colored (unless NO_COLOR). */
  isTTY?: boolean;
}

export function envOf(io: Io): NodeJS.ProcessEnv {
  return io.env ?? process.env;
}

/** Bad usage or unreadable input: the message, the usage text, exit code 2. */
export class UsageError extends Error {}

/**
 * A file the user named (`--out`, `--output`, `--template-out`): an existing regular file is replaced, as
 * asked; a link, a device or a pipe is refused. A relative path stays inside the current folder (no link on
 * the way); an absolute path is the user's choice of folder, and only its last part is checked.
 */
export function writeOutputFile(option: string, file: string, text: string): void {
  writeFileOrThrow(`${option} ${file}`, file, text, { ...userFileRoot(file), replace: true });
}

/** Text added to the end of a file the environment names (`$GITHUB_STEP_SUMMARY`), under the same rules. */
export function appendOutputFile(what: string, file: string, text: string): void {
  const written = appendFileInside(file, text, userFileRoot(file));
  if (!written.ok) throw new FileWriteRefusedError(`${what} ${file}`, written);
}
