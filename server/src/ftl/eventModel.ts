/**
 * What each field of a forwarded event holds: Amplitude's event model, written down once. The export API's
 * response schema ("Export API", https://amplitude.com/docs/apis/analytics/export) types its fields (`app`: int,
 * `amplitude_id`: long, `paying`: boolean, the times "UTC ISO-8601 formatted timestamp" strings, the property
 * bags dicts); the evidence events (freemarker/evidenceEvents.ts), the checks and the hover read it here.
 */
export type FieldKind = 'string' | 'integer' | 'decimal' | 'boolean' | 'time' | 'properties' | 'groups';

export const INPUT_FIELD_KINDS: Readonly<Record<string, FieldKind>> = {
  event_type: 'string',
  user_id: 'string',
  device_id: 'string',
  event_time: 'time',
  client_event_time: 'time',
  client_upload_time: 'time',
  server_upload_time: 'time',
  server_received_time: 'time',
  processed_time: 'time',
  user_creation_time: 'time',
  event_properties: 'properties',
  user_properties: 'properties',
  groups: 'groups',
  group_properties: 'groups',
  $insert_id: 'string',
  uuid: 'string',
  amplitude_id: 'integer',
  event_id: 'integer',
  session_id: 'integer',
  app: 'integer',
  library: 'string',
  platform: 'string',
  os_name: 'string',
  os_version: 'string',
  device_model: 'string',
  device_brand: 'string',
  device_manufacturer: 'string',
  device_family: 'string',
  device_type: 'string',
  device_carrier: 'string',
  country: 'string',
  region: 'string',
  city: 'string',
  dma: 'string',
  language: 'string',
  ip_address: 'string',
  version_name: 'string',
  start_version: 'string',
  location_lat: 'decimal',
  location_lng: 'decimal',
  paying: 'boolean',
  revenue: 'decimal',
  price: 'decimal',
  quantity: 'integer',
  productId: 'string',
  idfa: 'string',
  adid: 'string',
};

/** In words, for the hover: what a template prints when it reads the field. */
export const FIELD_KIND_WORDS: Readonly<Record<FieldKind, string>> = {
  string: 'a string: escape it inside JSON quotes (`?json_string`)',
  integer: 'a number, up to 16 digits: print it with `?c` (the default format groups digits: 1,763,647,400,000)',
  decimal: 'a number with decimals: print it with `?c` (the default format groups and rounds: 1,299.99, 37.775)',
  boolean: 'a boolean: print it with `?c` (`${x}` alone fails on 2.3.31)',
  time: 'a UTC time string, `yyyy-MM-dd HH:mm:ss` with 3 or 6 fraction digits (`2022-02-28 20:07:01.795`)',
  properties: 'a hash of the properties (strings, numbers, booleans; Amplitude forwards no arrays or objects)',
  groups: 'a hash of group type to group names',
};
