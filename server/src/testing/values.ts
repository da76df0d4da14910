import { generatedUsers } from './cohort/users';
import type { ManifestModel } from '../manifest/model';
import type { StreamingModel } from '../manifest/streaming';

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

/**
 * What is secret, by what it is, never by its name (a `project_key` holding "default" is not): the
 * authentication method's variables ($api_key, $api_secret, $bearer_token), and custom fields and
 * parameters marked `"secret": true`. Kept in SecretStorage, masked in panels, logs, output and cURL.
 */
export function secretVariableNames(model: ManifestModel): Set<string> {
  const names = new Set(model.declarations.filter((d) => d.source === 'authentication').map((d) => d.name));
  for (const field of model.cohort.customFields) if (field.secret) names.add(field.variable);
  for (const name of secretParameterNames(model.streaming)) names.add(name);
  return names;
}

/** Parameters marked secret (event streaming). */
export function secretParameterNames(streaming: StreamingModel): Set<string> {
  return new Set(streaming.parameters.filter((p) => p.secret).map((p) => p.name));
}

/** The values of the secret names, to mask: never the others (a cohort named "default" stays readable). */
export function secretValues(names: Iterable<string>, values: Record<string, string> | undefined): string[] {
  return [...names].map((name) => (values && Object.hasOwn(values, name) ? values[name] : '')).filter(Boolean);
}

/** `count` users with generated ids, one value per mapping field (small sets; large ones: users.ts). */
export function generateUsers(count: number, mappingVariables: string[], offset = 0): SampleUser[] {
  return generatedUsers(count, mappingVariables, offset).slice(0, count);
}
