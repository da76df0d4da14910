/** Where a command writes: standard output for results, standard error for what a person reads beside them. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

/** Bad usage or unreadable input: the message, the usage text, exit code 2. */
export class UsageError extends Error {}
