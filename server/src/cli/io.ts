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
