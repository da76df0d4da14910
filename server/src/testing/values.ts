import type { ManifestModel } from '../manifest/model';

/** What a test needs besides the manifest: the values a customer would type, and sample users. */
export interface TestValues {
  /** Variable name (no `$`) to value: custom fields, auth fields, mapping fields. */
  variables: Record<string, string>;
  cohortName: string;
  cohortId: string;
  cohortUrl: string;
}

export interface SampleUser {
  /** Mapping variable (e.g. user_id_field_amplitude) to this user's value. */
  fields: Record<string, string>;
}

export const DEFAULT_TEST_VALUES: Omit<TestValues, 'variables'> = {
  cohortName: "Saturday's cohort & héllo",
  cohortId: 'coh_12345',
  cohortUrl: 'https://app.amplitude.com/analytics/demo/cohort/coh_12345',
};

/** Auth fields and fields marked secret: kept in SecretStorage, masked in panels, logs and cURL. */
export function secretVariableNames(model: ManifestModel, manifestValue: unknown): Set<string> {
  const names = new Set(model.declarations.filter((d) => d.source === 'authentication').map((d) => d.name));
  const lists = manifestValue && typeof manifestValue === 'object' ? (manifestValue as Record<string, unknown>) : {};
  for (const key of ['customFields', 'parameters']) {
    const entries = lists[key];
    if (!Array.isArray(entries)) continue;
    for (const entry of entries) {
      if (entry && typeof entry === 'object' && (entry as Record<string, unknown>).secret === true) {
        const name = (entry as Record<string, unknown>)[key === 'parameters' ? 'name' : 'variable'];
        if (typeof name === 'string') names.add(name);
      }
    }
  }
  return names;
}

/** `count` users with generated ids, one value per mapping field. */
export function generateUsers(count: number, mappingVariables: string[], offset = 0): SampleUser[] {
  const users: SampleUser[] = [];
  for (let i = 0; i < count; i++) {
    const id = `user-${String(offset + i + 1).padStart(6, '0')}`;
    const fields: Record<string, string> = {};
    for (const variable of mappingVariables) fields[variable] = /email/i.test(variable) ? `${id}@example.com` : id;
    users.push({ fields });
  }
  return users;
}

export interface CsvUsers {
  add: SampleUser[];
  remove: SampleUser[];
  cohortName?: string;
  cohortId?: string;
}

/**
 * Users from a CSV in the portal's format: `operation,user_id_field_amplitude,amp_cohort_name,amp_cohort_id`
 * (operation: add or remove). Other mapping columns are read by their header name.
 */
export function parseUsersCsv(csv: string): CsvUsers {
  const lines = csv
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  if (lines.length === 0) throw new Error('The CSV is empty.');
  const header = lines[0].split(',').map((h) => h.trim());
  const operationAt = header.indexOf('operation');
  if (operationAt < 0)
    throw new Error(
      'The CSV header must start with "operation" (the portal\'s format: operation,user_id_field_amplitude,amp_cohort_name,amp_cohort_id).',
    );
  const result: CsvUsers = { add: [], remove: [] };
  lines.slice(1).forEach((line, i) => {
    const cells = line.split(',').map((c) => c.trim());
    const operation = cells[operationAt]?.toLowerCase();
    if (operation !== 'add' && operation !== 'remove')
      throw new Error(`CSV line ${i + 2}: operation must be "add" or "remove", not "${cells[operationAt] ?? ''}".`);
    const fields: Record<string, string> = {};
    header.forEach((name, column) => {
      if (column === operationAt) return;
      if (name === 'amp_cohort_name') result.cohortName ??= cells[column];
      else if (name === 'amp_cohort_id') result.cohortId ??= cells[column];
      else if (name) fields[name] = cells[column] ?? '';
    });
    result[operation].push({ fields });
  });
  return result;
}
