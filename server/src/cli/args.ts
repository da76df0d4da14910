import { parseArgs, type ParseArgsConfig } from 'util';
import { FileRefusedError, readUserText } from '../base/files';
import { emptyRecord } from '../base/records';
import type { ListId } from '../testing/cohort/listId';
import { generatedUsers, type UserSource } from '../testing/cohort/users';
import { readUsersCsvFile, type CsvUserSources } from '../testing/cohort/usersCsv';
import { DEFAULT_TEST_VALUES, type TestValues } from '../testing/values';
import { clampTimeout } from '../base/timeouts';
import { UsageError, type Io } from './io';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  positionals: string[];
  /** Single-valued options (the last one given wins); `many` keeps every value of repeatable ones. */
  values: Map<string, string>;
  many: Map<string, string[]>;
  flags: Set<string>;
  /** Every option as given, in order (to pair repeated options such as --format and --output). */
  order: { name: string; value: string | undefined }[];
}

/**
 * Node's own parser (util.parseArgs): `--name value`, `--name=value`, `--flag`. Unknown options and
 * missing values become UsageErrors.
 */
export function parseCommandArgs(args: string[], options: Options): Parsed {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true, tokens: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message.replace(/^[A-Z_]+: /, '') : String(error));
  }
  const order = (parsed.tokens ?? []).flatMap((t) => (t.kind === 'option' ? [{ name: t.name, value: t.value }] : []));
  const out: Parsed = { positionals: parsed.positionals, values: new Map(), many: new Map(), flags: new Set(), order };
  for (const [name, value] of Object.entries(parsed.values)) {
    if (value === true) out.flags.add(name);
    else if (Array.isArray(value)) {
      const strings = value.filter((v): v is string => typeof v === 'string');
      out.many.set(name, strings);
      if (strings.length > 0) out.values.set(name, strings[strings.length - 1]);
    } else if (typeof value === 'string') out.values.set(name, value);
  }
  return out;
}

/** `--name N`: a positive number, or `fallback` when absent. */
export function positiveNumber(parsed: Parsed, name: string, fallback: number): number {
  const value = parsed.values.get(name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) {
    throw new UsageError(`--${name} must be a positive number, not "${value}".`);
  }
  return n;
}

/** `--name ms`: a positive timeout, held to MAX_TIMEOUT_MS with a warning line (Node's timers overflow). */
export function timeoutOption(parsed: Parsed, name: string, fallback: number, io: Pick<Io, 'err'>): number {
  const clamped = clampTimeout(positiveNumber(parsed, name, fallback), `--${name}`);
  if (clamped.warning) io.err(`warning: ${clamped.warning}`);
  return clamped.ms;
}

/** `--name N`: a whole number from 0 to `max`. */
export function wholeNumber(parsed: Parsed, name: string, fallback: number, max: number): number {
  const value = parsed.values.get(name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n > max)
    throw new UsageError(`--${name} must be a whole number from 0 to ${max}, not "${value}".`);
  return n;
}

/** `--target`: an absolute http(s) URL (its origin and path prefix replace the manifest's). */
export function targetOption(parsed: Parsed): string | undefined {
  const target = parsed.values.get('target');
  if (target === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(target);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new UsageError(`--target must be an absolute http(s) URL such as http://127.0.0.1:8787, not "${target}".`);
  }
  return target;
}

/** `--list-id`: a JSON number stays a number (APIs with numeric list ids), `"123"` in quotes is a string. */
export function listIdOption(parsed: Parsed): ListId | undefined {
  const value = parsed.values.get('list-id');
  if (value === undefined) return undefined;
  if (/^-?\d+(\.\d+)?$/.test(value) && Number.isFinite(Number(value))) return Number(value);
  if (/^".*"$/s.test(value)) return JSON.parse(value) as string;
  return value;
}

/** `--membership entered|left`: which of the two property-based update calls to send. */
export function membershipOption(parsed: Parsed): boolean | undefined {
  const value = parsed.values.get('membership');
  if (value === undefined) return undefined;
  if (value !== 'entered' && value !== 'left') throw new UsageError('--membership must be "entered" or "left".');
  return value === 'entered';
}

/** One of `allowed`, or `fallback` when the option is absent. */
export function choice<T extends string>(parsed: Parsed, name: string, allowed: readonly T[], fallback: T): T {
  const value = parsed.values.get(name) ?? fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`--${name} must be ${allowed.map((a) => `"${a}"`).join(', ')}, not "${value}".`);
  }
  return value as T;
}

/** A user-named file's text, or a UsageError that says why it was not read. */
export function readOptionFile(file: string, what: string, maxBytes?: number): string {
  try {
    return readUserText(file, what, maxBytes);
  } catch (error) {
    if (error instanceof FileRefusedError) throw new UsageError(`${file}: ${error.message}`);
    throw error;
  }
}

const COHORT_VALUE_KEYS: Record<string, 'cohortName' | 'cohortId' | 'cohortUrl'> = {
  amp_cohort_name: 'cohortName',
  amp_cohort_id: 'cohortId',
  amp_cohort_url: 'cohortUrl',
};

/**
 * Test values: a JSON file of name -> value (`--values`), with AMPLITUDE_VALUE_<NAME> environment variables
 * on top (keep secrets there in CI). `amp_cohort_name`, `amp_cohort_id`, `amp_cohort_url` set the cohort;
 * the URL follows a given id unless set itself.
 */
export function testValues(parsed: Parsed, env: NodeJS.ProcessEnv = process.env): TestValues {
  const variables = emptyRecord<string>();
  const file = parsed.values.get('values');
  if (file) {
    let value: unknown;
    try {
      value = JSON.parse(readOptionFile(file, 'The values file')) as unknown;
    } catch (error) {
      if (error instanceof UsageError) throw error;
      throw new UsageError(`${file}: must be a JSON object of variable name to value (${(error as Error).message}).`);
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      throw new UsageError(`${file}: must be a JSON object of variable name to value.`);
    }
    for (const [k, v] of Object.entries(value)) variables[k] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  for (const [key, value] of Object.entries(env)) {
    if (key.startsWith('AMPLITUDE_VALUE_') && value !== undefined) variables[key.slice(16).toLowerCase()] = value;
  }
  return withCohort({ ...DEFAULT_TEST_VALUES, variables }, variables);
}

/** The cohort's own values from named ones (a values file, a CSV's columns); the URL follows a new id. */
export function withCohort(values: TestValues, named: Partial<Record<string, string>>): TestValues {
  const out = { ...values };
  for (const [key, field] of Object.entries(COHORT_VALUE_KEYS)) {
    const value = Object.hasOwn(named, key) ? named[key] : undefined;
    if (value) out[field] = value;
  }
  const id = Object.hasOwn(named, 'amp_cohort_id') ? named.amp_cohort_id : undefined;
  if (id && !(Object.hasOwn(named, 'amp_cohort_url') && named.amp_cohort_url)) {
    out.cohortUrl = values.cohortUrl.replace(/[^/]+$/, encodeURIComponent(id));
  }
  return out;
}

/** `--users-csv`, streamed and parsed (the portal's format, at most MAX_CSV_ROWS rows), or undefined. */
export async function usersCsv(parsed: Parsed): Promise<CsvUserSources | undefined> {
  const file = parsed.values.get('users-csv');
  if (!file) return undefined;
  try {
    return await readUsersCsvFile(file);
  } catch (error) {
    throw new UsageError(`${file}: ${(error as Error).message}`);
  }
}

/** The most users `simulate` generates: enough for any real cohort's sync, generated a batch at a time. */
export const MAX_GENERATED_USERS = 100_000_000;

/** `--users N` generated users (made a batch at a time), or the CSV's "add" rows. */
export function userSource(
  parsed: Parsed,
  csv: CsvUserSources | undefined,
  mappings: string[],
  fallback: number,
): UserSource {
  if (csv) return csv.add;
  return generatedUsers(wholeNumber(parsed, 'users', fallback, MAX_GENERATED_USERS), mappings);
}

/** One report: a format and where it goes (undefined: standard output). */
export interface ReportTarget<F extends string> {
  format: F;
  output?: string;
}

/**
 * `--format a --output x --format b`: each --output belongs to the --format before it; a format without
 * one goes to standard output, and only one may. Without --format, `fallback`.
 */
export function reportTargets<F extends string>(parsed: Parsed, allowed: readonly F[], fallback: F): ReportTarget<F>[] {
  const targets: ReportTarget<F>[] = [];
  for (const { name, value } of parsed.order) {
    if (name === 'format') {
      if (!allowed.includes(value as F))
        throw new UsageError(`--format must be one of ${allowed.join(', ')}, not "${value ?? ''}".`);
      targets.push({ format: value as F });
    } else if (name === 'output') {
      if (targets.length === 0) targets.push({ format: fallback });
      const target = targets[targets.length - 1];
      if (target.output !== undefined) throw new UsageError(`--output ${value ?? ''} follows no --format of its own.`);
      target.output = value;
    }
  }
  if (targets.length === 0) targets.push({ format: fallback });
  if (targets.filter((t) => t.output === undefined).length > 1)
    throw new UsageError('Only one --format can go to standard output: give the others an --output file.');
  return targets;
}
