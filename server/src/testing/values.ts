import { generatedUsers } from './users';
import { arrayAt, isObject, stringAt } from '../base/value';
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

/** Names that say they hold a credential: masked even when the manifest forgot `"secret": true`. */
const SECRET_NAME = /key|token|secret|passw|credential|auth/i;

/**
 * Auth fields, fields and parameters marked secret, and those whose names say key, token, secret or
 * password: kept in SecretStorage, masked in panels, logs, output and cURL.
 */
export function secretVariableNames(model: ManifestModel, manifestValue: unknown): Set<string> {
  const names = new Set(model.declarations.filter((d) => d.source === 'authentication').map((d) => d.name));
  for (const [key, nameKey] of [
    ['customFields', 'variable'],
    ['parameters', 'name'],
  ] as const) {
    for (const entry of arrayAt(manifestValue, key) ?? []) {
      const name = stringAt(entry, nameKey);
      if (name && (SECRET_NAME.test(name) || (isObject(entry) && entry.secret === true))) names.add(name);
    }
  }
  return names;
}

/** Parameters marked secret or named like a credential (event streaming). */
export function secretParameterNames(manifestValue: unknown): Set<string> {
  const names = new Set<string>();
  for (const entry of arrayAt(manifestValue, 'parameters') ?? []) {
    const name = stringAt(entry, 'name');
    if (name && (SECRET_NAME.test(name) || (isObject(entry) && entry.secret === true))) names.add(name);
  }
  return names;
}

/** `count` users with generated ids, one value per mapping field (small sets; large ones: users.ts). */
export function generateUsers(count: number, mappingVariables: string[], offset = 0): SampleUser[] {
  return generatedUsers(count, mappingVariables, offset).slice(0, count);
}
