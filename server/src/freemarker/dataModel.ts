import { emptyRecord, ownValue, recordOf } from '../base/records';
import { arrayAt, isObject, stringAt, scalarText } from '../base/value';

/**
 * Amplitude forwards custom properties as strings, and does not forward arrays or objects (seed 003,
 * Limitations); the documented template prints them unquoted, so each value is a JSON string literal.
 * An empty or missing value stays empty: what the documented `?filter(key -> ...?has_content)` leaves out.
 * Undefined: not forwarded at all.
 */
export function asForwardedString(value: unknown): string | undefined {
  if (value === '' || value === null || value === undefined) return '';
  if (typeof value === 'object') return undefined;
  return JSON.stringify(scalarText(value));
}

/**
 * The data model Amplitude gives an event body template: `input` (the event), `parameters` (what the
 * customer typed), `mappedFields` (destination property -> value of the mapped Amplitude property) and
 * `mappedProperties` (the event and user properties the customer chose to forward, as strings).
 */
export function dataModelFor(
  manifest: unknown,
  event: Record<string, unknown>,
  parameterValues: Record<string, string> = {},
): Record<string, unknown> {
  const parameters = emptyRecord<string>();
  for (const p of arrayAt(manifest, 'parameters') ?? []) {
    const name = stringAt(p, 'name');
    if (name) parameters[name] = ownValue(parameterValues, name) ?? `sample-${name.replace(/_/g, '-')}`;
  }
  const userProperties = isObject(event.user_properties) ? event.user_properties : {};
  const mappedFields = emptyRecord<unknown>();
  for (const m of arrayAt(manifest, 'userPropertyMappings') ?? []) {
    const name = stringAt(m, 'name');
    if (!name) continue;
    const value = sampleMapping(name, event, userProperties);
    if (value !== undefined && value !== null && typeof value !== 'object') mappedFields[name] = scalarText(value);
  }
  const mappedProperties = emptyRecord<string>();
  const forwarded = recordOf([
    ...Object.entries(isObject(event.event_properties) ? event.event_properties : {}),
    ...Object.entries(userProperties),
  ]);
  for (const [key, value] of Object.entries(forwarded)) {
    const forwardedValue = asForwardedString(value);
    if (forwardedValue !== undefined) mappedProperties[key] = forwardedValue;
  }
  return { input: event, parameters, mappedFields, mappedProperties };
}

/** The customer maps each destination field to an Amplitude property; a sample maps by the likeliest one. */
function sampleMapping(name: string, event: Record<string, unknown>, userProperties: Record<string, unknown>): unknown {
  if (Object.hasOwn(userProperties, name)) return userProperties[name];
  if (/email/i.test(name)) return ownValue(userProperties, 'email');
  if (/id$/i.test(name)) return event.user_id;
  return undefined;
}
