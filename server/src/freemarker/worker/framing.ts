/**
 * Line-delimited JSON framing with size bounds, both ways: the worker's answers are split into lines in linear
 * time and a line past its bound is reported instead of held; a request line past the worker's bound is refused
 * before it is written (the worker would drop it unread).
 */
import type { Writable } from 'stream';

/**
 * Splits a stream into lines in linear time: each chunk is searched once, and a line that would pass
 * `limit` bytes is reported instead of held.
 */
export class LineReader {
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(
    private readonly limit: number,
    private readonly onLine: (line: string) => void,
    private readonly onOverflow: () => void,
  ) {}

  push(chunk: Buffer): void {
    let from = 0;
    for (let newline = chunk.indexOf(10); newline >= 0; newline = chunk.indexOf(10, from)) {
      this.chunks.push(chunk.subarray(from, newline));
      const line = Buffer.concat(this.chunks).toString('utf8');
      this.chunks = [];
      this.size = 0;
      from = newline + 1;
      this.onLine(line);
    }
    if (from < chunk.length) {
      this.size += chunk.length - from;
      if (this.size > this.limit) {
        this.chunks = [];
        this.size = 0;
        this.onOverflow();
        return;
      }
      this.chunks.push(chunk.subarray(from));
    }
  }

  reset(): void {
    this.chunks = [];
    this.size = 0;
  }
}

/**
 * Writes one line (ending in its only newline) unless it passes `limit` characters (UTF-16 units, as the JVM
 * counts them): then nothing is written and the answer is false. `written` runs once the stream took it.
 */
export function writeLine(stream: Writable, line: string, limit: number, written: () => void): boolean {
  if (line.length - 1 > limit) return false;
  stream.write(line, () => written());
  return true;
}
