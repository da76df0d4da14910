/**
 * Node's timers hold a signed 32-bit count of milliseconds: a longer wait (2^31 ms, about 24.8 days) is
 * replaced by 1 ms, so a timeout of 1e10 would fire at once. Every timeout taken from input (a command's
 * option, a setting) is clamped to MAX_TIMEOUT_MS first, and the user told.
 */
export const MAX_TIMEOUT_MS = 60 * 60 * 1000;

/** The longest wait a Node timer keeps (longer ones fire after 1 ms). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export interface ClampedTimeout {
  ms: number;
  /** Set when the value was over the maximum: says what was asked and what is used. */
  warning?: string;
}

/** `ms` (a positive number) held to MAX_TIMEOUT_MS; `what` names it in the warning ("--timeout"). */
export function clampTimeout(ms: number, what: string): ClampedTimeout {
  if (ms <= MAX_TIMEOUT_MS) return { ms };
  return {
    ms: MAX_TIMEOUT_MS,
    warning:
      `${what} ${ms} ms is more than the longest timeout allowed ` +
      `(${MAX_TIMEOUT_MS} ms, one hour): using ${MAX_TIMEOUT_MS} ms.`,
  };
}

/** A wait a timer can hold: never past MAX_TIMER_MS (a scaled retry schedule, a slow rate limit). */
export function timerMs(ms: number): number {
  return Math.min(Math.max(0, ms), MAX_TIMER_MS);
}

/**
 * A wait that ends early, without an error, when `signal` aborts; held to what a timer can hold. Its abort
 * listener goes with it: a long replay's thousands of retries must not pile them up.
 */
export function abortableDelay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const stop = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', stop);
      resolve();
    }, timerMs(ms));
    signal?.addEventListener('abort', stop, { once: true });
  });
}

/** A wait as people say it: 28 s, 3.3 min, 15 min, 2 h. */
export function duration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 3570) {
    const minutes = seconds / 60;
    return `${minutes < 10 ? minutes.toFixed(1).replace(/\.0$/, '') : Math.round(minutes)} min`;
  }
  return `${(seconds / 3600).toFixed(1).replace(/\.0$/, '')} h`;
}
