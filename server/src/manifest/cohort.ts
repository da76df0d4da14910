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
  /** Marked `"secret": true`: kept in SecretStorage and masked. */
  readonly secret: boolean;
}

/** What the cohort kinds declare besides their endpoints. */
export interface CohortModel {
  /** The additional headers whose value is text, sent with every call. */
  readonly headers: Readonly<Record<string, string>>;
  /** The "slugify cohort name" option: `$amp_cohort_name` is sent slugified. */
  readonly slugifyCohortName: boolean;
  readonly customFields: readonly CustomField[];
}

export const NO_COHORT: CohortModel = { headers: {}, slugifyCohortName: false, customFields: [] };

function optionOf(option: unknown): FieldOption | undefined {
  if (typeof option === 'string') return { label: option, value: option };
  const value = stringAt(option, 'value');
  return value === undefined ? undefined : { label: stringAt(option, 'label') ?? value, value };
}

function customField(entry: unknown): CustomField | undefined {
  const variable = stringAt(entry, 'variable');
  if (!variable) return undefined;
  return {
    variable,
    displayName: stringAt(entry, 'displayName'),
    type: stringAt(entry, 'type'),
    options: (arrayAt(entry, 'options') ?? []).map(optionOf).filter((o): o is FieldOption => o !== undefined),
    default: stringAt(entry, 'default'),
    secret: isObject(entry) && entry.secret === true,
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
  return { headers, slugifyCohortName: root.slugifyCohortName === true, customFields };
}
