import { generatedUsers } from './cohort/users';
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

/** The names of a list's entries (custom fields, parameters) marked `"secret": true`. */
function markedSecret(manifestValue: unknown, list: 'customFields' | 'parameters', nameKey: string): string[] {
  return (arrayAt(manifestValue, list) ?? [])
    .filter((entry) => isObject(entry) && entry.secret === true)
    .map((entry) => stringAt(entry, nameKey))
    .filter((name): name is string => name !== undefined);
}

/**
 * What is secret, by what it is, never by its name (a `project_key` holding "default" is not): the
 * authentication method's variables ($api_key, $api_secret, $bearer_token), and custom fields and
 * parameters marked `"secret": true`. Kept in SecretStorage, masked in panels, logs, output and cURL.
 */
export function secretVariableNames(model: ManifestModel, manifestValue: unknown): Set<string> {
  const names = new Set(model.declarations.filter((d) => d.source === 'authentication').map((d) => d.name));
  for (const name of markedSecret(manifestValue, 'customFields', 'variable')) names.add(name);
  for (const name of markedSecret(manifestValue, 'parameters', 'name')) names.add(name);
  return names;
}

/** Parameters marked secret (event streaming). */
export function secretParameterNames(manifestValue: unknown): Set<string> {
  return new Set(markedSecret(manifestValue, 'parameters', 'name'));
}

/** The values of the secret names, to mask: never the others (a cohort named "default" stays readable). */
export function secretValues(names: Iterable<string>, values: Record<string, string> | undefined): string[] {
  return [...names].map((name) => (values && Object.hasOwn(values, name) ? values[name] : '')).filter(Boolean);
}

/** `count` users with generated ids, one value per mapping field (small sets; large ones: users.ts). */
export function generateUsers(count: number, mappingVariables: string[], offset = 0): SampleUser[] {
  return generatedUsers(count, mappingVariables, offset).slice(0, count);
}
