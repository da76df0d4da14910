import { parse as parseStream, type Options } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import { FileRefusedError, MAX_DATA_BYTES, streamUserFile } from '../../base/files';
import { emptyRecord } from '../../base/records';
import type { UserSource } from './users';
import type { SampleUser } from '../values';

/**
 * Users from a CSV in the portal's format: `operation,user_id_field_amplitude,amp_cohort_name,amp_cohort_id`
 * (operation: add or remove). Other mapping columns are read by their header name. Parsed with csv-parse
 * (quoted cells keep their commas and quotes: a cohort named "Churned, 30 days"); a file is streamed, a row
 * at a time, and kept compact (one string a user), so a CSV of hundreds of MB neither blocks the server nor
 * fills its heap: past MAX_CSV_ROWS rows, or MAX_CSV_CHARS of user values, reading stops with a message.
 */

/** More users than any test or simulated sync needs (generated users go to 100 million: `--users N`). */
export const MAX_CSV_ROWS = 1_000_000;
/** User values kept at most, in characters (one string a user, built when a batch is asked for). */
export const MAX_CSV_CHARS = 64 * 1024 * 1024;
/** One row's text at most: a longer one is not a user list. */
const MAX_RECORD_CHARS = 64 * 1024;

export interface CsvUsers {
  add: SampleUser[];
  remove: SampleUser[];
  /** The cohort's columns (amp_cohort_name, amp_cohort_id, amp_cohort_url), from the first row that has them. */
  cohort: Record<string, string>;
}

/** The users of a CSV as batch sources: each user is kept as one string and made a SampleUser when asked. */
export interface CsvUserSources {
  add: UserSource;
  remove: UserSource;
  cohort: Record<string, string>;
}

const COHORT_COLUMNS = new Set(['amp_cohort_name', 'amp_cohort_id', 'amp_cohort_url']);
const MISSING_OPERATION =
  'The CSV header must have an "operation" column (the portal\'s format: ' +
  'operation,user_id_field_amplitude,amp_cohort_name,amp_cohort_id).';

const CSV_OPTIONS: Options = {
  skip_empty_lines: true,
  comment: '#',
  trim: true,
  bom: true,
  relax_column_count: true,
  max_record_size: MAX_RECORD_CHARS,
};

/** Compact rows: the fields' values of one user as a JSON array string, the names once. */
class CompactUsers implements UserSource {
  private readonly rows: string[] = [];
  constructor(private readonly names: readonly (string | undefined)[]) {}

  get count(): number {
    return this.rows.length;
  }

  push(row: string): void {
    this.rows.push(row);
  }

  slice(from: number, to: number): SampleUser[] {
    return this.rows.slice(from, to).map((row) => {
      const values = JSON.parse(row) as (string | null)[];
      const fields = emptyRecord<string>();
      this.names.forEach((name, i) => {
        // A short row has no value for its last columns (null): the request says which one is missing.
        const value = values[i];
        if (name !== undefined && value !== null && value !== undefined) fields[name] = value;
      });
      return { fields };
    });
  }
}

/** Rows in, users out: the header first, then one call a row; the limits are checked as rows come. */
class CsvUsersBuilder {
  private names: (string | undefined)[] | undefined;
  private operationAt = -1;
  private cohortAt: [string, number][] = [];
  private rowCount = 0;
  private chars = 0;
  private add!: CompactUsers;
  private remove!: CompactUsers;
  readonly cohort = emptyRecord<string>();

  constructor(private readonly what: string) {}

  take(record: string[]): void {
    if (!this.names) return this.header(record);
    this.rowCount++;
    if (this.rowCount > MAX_CSV_ROWS) throw this.overLimit(`more than ${MAX_CSV_ROWS} rows (the limit)`);
    const operation = (record[this.operationAt] ?? '').toLowerCase();
    if (operation !== 'add' && operation !== 'remove') {
      const cell = record[this.operationAt] ?? '';
      throw new Error(`CSV row ${this.rowCount + 1}: operation must be "add" or "remove", not "${cell}".`);
    }
    for (const [name, at] of this.cohortAt) {
      const value = record[at] ?? '';
      if (value !== '' && !Object.hasOwn(this.cohort, name)) this.cohort[name] = value;
    }
    const row = JSON.stringify(this.names.map((name, i) => (name === undefined ? null : (record[i] ?? null))));
    this.chars += row.length;
    if (this.chars > MAX_CSV_CHARS)
      throw this.overLimit(`more than ${MAX_CSV_CHARS / 1024 / 1024} M characters of user values (the limit)`);
    (operation === 'add' ? this.add : this.remove).push(row);
  }

  private header(record: string[]): void {
    const names = record.map((h) => h.trim());
    this.operationAt = names.indexOf('operation');
    if (this.operationAt < 0) throw new Error(MISSING_OPERATION);
    this.cohortAt = names.flatMap((name, i): [string, number][] => (COHORT_COLUMNS.has(name) ? [[name, i]] : []));
    // The first column of a name wins, as csv-parse's `columns` did; operation and cohort columns are not fields.
    this.names = names.map((name, i) =>
      name === '' || name === 'operation' || COHORT_COLUMNS.has(name) || names.indexOf(name) !== i ? undefined : name,
    );
    this.add = new CompactUsers(this.names);
    this.remove = new CompactUsers(this.names);
  }

  private overLimit(what: string): Error {
    return new Error(
      `${this.what} holds ${what}: reading stopped after ${this.rowCount - 1} rows. ` +
        `Test with a smaller file, or generated users (--users N, or a count in the Simulate dialog).`,
    );
  }

  result(): CsvUserSources {
    if (!this.names) throw new Error('The CSV is empty.');
    return { add: this.add, remove: this.remove, cohort: this.cohort };
  }
}

function readError(error: unknown): Error {
  const message = (error as Error).message;
  // Our own sentences pass as they are; csv-parse's are prefixed.
  return /^(The CSV|The users CSV|CSV row)/.test(message) || message === MISSING_OPERATION
    ? new Error(message, { cause: error })
    : new Error(`The CSV cannot be read: ${message}`, { cause: error });
}

/** A CSV text (small: a test's inline list); a file goes through readUsersCsvFile. */
export function parseUsersCsv(csv: string): CsvUsers {
  const builder = new CsvUsersBuilder('The CSV');
  try {
    const records: string[][] = parse(csv, CSV_OPTIONS);
    for (const record of records) builder.take(record);
  } catch (error) {
    throw readError(error);
  }
  const users = builder.result();
  return {
    add: users.add.slice(0, users.add.count),
    remove: users.remove.slice(0, users.remove.count),
    cohort: users.cohort,
  };
}

/**
 * A users CSV the user named (`--users-csv`, the Simulate dialog), streamed: the event loop turns between chunks
 * (the server keeps answering), memory holds the compact users only, `signal` stops the read.
 */
export async function readUsersCsvFile(file: string, signal?: AbortSignal): Promise<CsvUserSources> {
  const opened = streamUserFile(file, MAX_DATA_BYTES);
  if (!opened.ok) throw new FileRefusedError('The users CSV', opened);
  const parser = opened.stream.pipe(parseStream(CSV_OPTIONS));
  opened.stream.on('error', (error) => parser.destroy(error));
  const builder = new CsvUsersBuilder('The users CSV');
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (signal?.aborted) throw new Error('Reading the users CSV was cancelled.');
      builder.take(record);
    }
  } catch (error) {
    throw readError(error);
  } finally {
    opened.stream.destroy();
    parser.destroy();
  }
  return builder.result();
}
