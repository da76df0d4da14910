import { emptyRecord, ownValue, recordOf } from '../base/records';
import { isObject, scalarText } from '../base/value';
import { eventForKeys, inputKeysRead } from '../ftl/inputKeys';

/**
 * Amplitude forwards custom properties as strings, and does not forward arrays or objects ("Create an Event
 * Streaming Integration", https://amplitude.com/docs/partners/create-an-event-streaming-integration,
 * Limitations); the documented template prints them unquoted, so each value is a JSON string literal.
 * An empty or missing value stays empty: what the documented `?filter(key -> ...?has_content)` leaves out.
 * Undefined: not forwarded at all.
 */
export function asForwardedString(value: unknown): string | undefined {
  if (value === '' || value === null || value === undefined) return '';
  if (typeof value === 'object') return undefined;
  return JSON.stringify(scalarText(value));
}

/** The last template read, and the event keys it reads: a replay renders one template thousands of times. */
let lastRead: { template: string; keys: ReadonlySet<string> | undefined } | undefined;

function keysReadBy(template: string): ReadonlySet<string> | undefined {
  if (lastRead?.template !== template) lastRead = { template, keys: inputKeysRead(template) };
  return lastRead.keys;
}

/** What a manifest declares for its templates (the manifest's streaming model has this shape). */
export interface TemplateDeclarations {
  readonly parameters: readonly { readonly name: string }[];
  readonly userPropertyMappings: readonly { readonly name: string }[];
}

/**
 * The data model Amplitude gives an event body template: `input` (the event), `parameters` (what the
 * customer typed), `mappedFields` (destination property -> value of the mapped Amplitude property) and
 * `mappedProperties` (the event and user properties the customer chose to forward, as strings). Given
 * the template, `input` holds only the properties it can read (ftl/inputKeys.ts): the output is the same.
 */
export function dataModelFor(
  declared: TemplateDeclarations | undefined,
  event: Record<string, unknown>,
  parameterValues: Record<string, string> = {},
  template?: string,
): Record<string, unknown> {
  const parameters = emptyRecord<string>();
  for (const { name } of declared?.parameters ?? [])
    parameters[name] = ownValue(parameterValues, name) ?? `sample-${name.replace(/_/g, '-')}`;
  const userProperties = isObject(event.user_properties) ? event.user_properties : {};
  const mappedFields = emptyRecord<unknown>();
  for (const { name } of declared?.userPropertyMappings ?? []) {
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
  const input = template === undefined ? event : eventForKeys(event, keysReadBy(template));
  return { input, parameters, mappedFields, mappedProperties };
}

/** The customer maps each destination field to an Amplitude property; a sample maps by the likeliest one. */
function sampleMapping(name: string, event: Record<string, unknown>, userProperties: Record<string, unknown>): unknown {
  if (Object.hasOwn(userProperties, name)) return userProperties[name];
  if (/email/i.test(name)) return ownValue(userProperties, 'email');
  if (/id$/i.test(name)) return event.user_id;
  return undefined;
}
