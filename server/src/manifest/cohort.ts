import type { JSONPath } from 'jsonc-parser';
import { arrayAt, isObject, objectAt, stringAt, type JsonObject } from '../base/value';

/** One option of a Single Select or Button Group field: what the customer sees, and what the variable is set to. */
export interface FieldOption {
  readonly label: string;
  readonly value: string;
}

/** A custom field the customer fills in when connecting: its `$variable`, type, options and default. */
export interface CustomField {
  readonly variable: string;
  readonly displayName?: string;
  /** String, Single Select or Button Group (`string`, `singleSelect`, `buttonGroup`), as written. */
  readonly type?: string;
  /** Options written as text stand for themselves (label and value). */
  readonly options: readonly FieldOption[];
  readonly default?: string;
  readonly description?: string;
  /** Marked `"secret": true`: kept in SecretStorage and masked. */
  readonly secret: boolean;
  /** Where the entry is written: `["customFields", index]`. */
  readonly path: JSONPath;
}

/** A mapping field: the customer maps an Amplitude user property to the partner's field, `$variable` per user. */
export interface MappingField {
  /** The Amplitude mapping field variable (`user_id_field_amplitude`). */
  readonly variable: string;
  /** The mapping field display name (the left column, "Key" when absent). */
  readonly label?: string;
  /** The partner's field, as the customer reads it. */
  readonly displayName?: string;
  /** String or Single Select, as written. */
  readonly type?: string;
  readonly options: readonly FieldOption[];
  /** Where the entry is written: `["mappingFields", index]`. */
  readonly path: JSONPath;
}

/** What the cohort kinds declare besides their endpoints. */
export interface CohortModel {
  /** The additional headers whose value is text, sent with every call. */
  readonly headers: Readonly<Record<string, string>>;
  /** The "slugify cohort name" option: `$amp_cohort_name` is sent slugified. */
  readonly slugifyCohortName: boolean;
  readonly customFields: readonly CustomField[];
  readonly mappingFields: readonly MappingField[];
}

export const NO_COHORT: CohortModel = { headers: {}, slugifyCohortName: false, customFields: [], mappingFields: [] };

function optionOf(option: unknown): FieldOption | undefined {
  if (typeof option === 'string') return { label: option, value: option };
  const value = stringAt(option, 'value');
  return value === undefined ? undefined : { label: stringAt(option, 'label') ?? value, value };
}

function optionsOf(entry: unknown): FieldOption[] {
  return (arrayAt(entry, 'options') ?? []).map(optionOf).filter((o): o is FieldOption => o !== undefined);
}

function customField(entry: unknown, index: number): CustomField | undefined {
  const variable = stringAt(entry, 'variable');
  if (!variable) return undefined;
  return {
    variable,
    displayName: stringAt(entry, 'displayName'),
    type: stringAt(entry, 'type'),
    options: optionsOf(entry),
    default: stringAt(entry, 'default'),
    description: stringAt(entry, 'description'),
    secret: isObject(entry) && entry.secret === true,
    path: ['customFields', index],
  };
}

function mappingField(entry: unknown, index: number): MappingField | undefined {
  const variable = stringAt(entry, 'variable');
  if (!variable) return undefined;
  return {
    variable,
    label: stringAt(entry, 'label'),
    displayName: stringAt(entry, 'displayName'),
    type: stringAt(entry, 'type'),
    options: optionsOf(entry),
    path: ['mappingFields', index],
  };
}

/** The cohort parts of a manifest's value: tolerant of every shape a half-typed manifest can have. */
export function readCohort(root: JsonObject): CohortModel {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(objectAt(root, 'headers') ?? {}))
    if (typeof value === 'string') headers[key] = value;
  const customFields = (arrayAt(root, 'customFields') ?? [])
    .map(customField)
    .filter((f): f is CustomField => f !== undefined);
  const mappingFields = (arrayAt(root, 'mappingFields') ?? [])
    .map(mappingField)
    .filter((f): f is MappingField => f !== undefined);
  return { headers, slugifyCohortName: root.slugifyCohortName === true, customFields, mappingFields };
}
