import type { SendResult } from '../send';

/**
 * When a replay gives up on its target. Amplitude keeps retrying a partner for 4 hours; a replay is a test
 * run, and against a server that is down (refuses or resets every connection) each event would wait out the
 * whole scaled schedule: about 15 s an event, half an hour for 1,000. After DEAD_TARGET_TRIES tries in a row
 * that got no answer at all (no status: refused, reset, timed out), the replay stops and says why.
 * An answer of any status (a 500 too) shows the server is there and resets the count.
 */
export const DEAD_TARGET_TRIES = 20;

export class DeadTargetWatch {
  private inARow = 0;
  private answered = false;

  constructor(private readonly tries = DEAD_TARGET_TRIES) {}

  /** After each try: why to give up, once `tries` tries in a row went unanswered; else undefined. */
  record(result: SendResult): string | undefined {
    if (result.ok) {
      this.answered = true;
      this.inARow = 0;
      return undefined;
    }
    if (++this.inARow < this.tries) return undefined;
    const since = this.answered ? 'since its last answer' : 'and none has been answered since the replay began';
    return (
      `Gave up: ${this.tries} requests in a row got no answer from the target (last: ${result.message}) ${since}. ` +
      'Is the server running and listening at that address?'
    );
  }
}
