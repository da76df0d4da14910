/** The Amplitude event fields a template reads as `input.x` (export API names), with what they hold. */
export const INPUT_FIELDS: Record<string, string> = {
  event_type: "The event's name, e.g. `Email Open`. Always present.",
  user_id:
    'The user id the customer\'s app set. Anonymous events have none: guard it (`input.user_id!""`) or fall ' +
    'back to `input.device_id`.',
  device_id: 'The device id. Not guaranteed.',
  event_time: 'When the event happened (UTC, `yyyy-MM-dd HH:mm:ss.SSSSSS`). Always present.',
  client_event_time: 'The event time the client reported. Not guaranteed.',
  server_upload_time: 'When Amplitude received the event. Not named as reliable by the docs: guard it.',
  event_properties: "The event's properties (a hash). Use `mappedProperties` for what the customer chose to forward.",
  user_properties: "The user's properties at event time (a hash).",
  groups: 'The groups the user belongs to (a hash of group type to names).',
  group_properties: 'Properties of those groups.',
  $insert_id: 'The id used for de-duplication. Write it as `input["$insert_id"]`. Not guaranteed.',
  amplitude_id:
    "Amplitude's own id for the user (a number: print it with `?c`). Not named as reliable by the docs: guard it.",
  library: 'The SDK or integration that sent the event. Not guaranteed.',
  platform: 'The platform (iOS, Android, Web ...). Not guaranteed.',
  os_name: 'The operating system name. Not guaranteed.',
  os_version: 'The operating system version. Not guaranteed.',
  device_model: 'The device model. Not guaranteed.',
  country: 'Country, from the IP address. Not guaranteed.',
  city: 'City, from the IP address. Not guaranteed.',
  region: 'Region, from the IP address. Not guaranteed.',
  language: 'The device language. Not guaranteed.',
  ip_address: 'The IP address. Not guaranteed.',
  session_id: "The session's start time in ms, -1 outside a session (a number: print it with `?c`). Not guaranteed.",
  event_id: "A counter of the user's events (a number: `?c`). Not guaranteed.",
  uuid: 'A unique id of this event in Amplitude. Not named as reliable by the docs: guard it.',
  app: 'The Amplitude project id (a number: `?c`). Not guaranteed.',
  // The rest of the export API's event fields ("Export API", Response schema,
  // https://amplitude.com/docs/apis/analytics/export): none is guaranteed on a forwarded event, guard each.
  server_received_time: "When Amplitude's servers received the event (UTC). Not guaranteed.",
  client_upload_time: 'When the client uploaded the event (UTC). Not guaranteed.',
  processed_time: 'When Amplitude processed the event (UTC). Not guaranteed.',
  user_creation_time: 'When Amplitude first saw the user (UTC). Not guaranteed.',
  device_carrier: 'The mobile carrier. Not guaranteed.',
  device_type: 'The device type. Not guaranteed.',
  device_manufacturer: 'The device manufacturer. Not guaranteed.',
  device_brand: 'The device brand. Not guaranteed.',
  device_family: 'The device family. Not guaranteed.',
  version_name: "The app's version. Not guaranteed.",
  start_version: 'The app version the user first had. Not guaranteed.',
  paying: 'Whether the user has paid (a boolean: print it with `?c`). Not guaranteed.',
  dma: 'The designated market area, from the IP address. Not guaranteed.',
  location_lat: 'Latitude (a number: `?c` keeps its digits). Not guaranteed.',
  location_lng: 'Longitude (a number: `?c` keeps its digits). Not guaranteed.',
  amplitude_event_type: "Amplitude's own type for its events (e.g. identify). Not guaranteed.",
  amplitude_attribution_ids: 'Attribution ids. Not guaranteed.',
  is_attribution_event: 'Whether this is an attribution event (a boolean: `?c`). Not guaranteed.',
  adid: 'The Google advertising id (Android). Not guaranteed.',
  idfa: 'The identifier for advertisers (iOS). Not guaranteed.',
  data: 'Extra data Amplitude keeps with the event (a hash). Not guaranteed.',
  sample_rate: 'The sample rate (null in the export). Not guaranteed.',
  $schema: 'The schema version of the exported event (a number). Write it as `input["$schema"]`. Not guaranteed.',
};

export const DATA_MODEL_ROOTS: Record<string, string> = {
  input:
    'The forwarded Amplitude event and its fields (export API names). Amplitude guarantees only a few ' +
    'fields: guard the others with `!` or `??`.',
  parameters: 'What the customer typed for the parameters the manifest declares, by parameter name.',
  mappedFields:
    'Destination property name (from `userPropertyMappings`) to the value of the Amplitude property the ' +
    'customer mapped to it.',
  mappedProperties:
    'The event, user and group properties the customer chose to forward ("Specify event properties to send"). ' +
    'Amplitude sends every value as a string and does not forward arrays or objects (its docs, Limitations). ' +
    'Here each value is a JSON string literal: print it without quotes, and escape the key: ' +
    '`"${key?json_string}": ${mappedProperties[key]}`.',
};

/** Built-ins partners use in event bodies, with the FreeMarker version that introduced each where recent. */
export const BUILTINS: Record<string, { doc: string; since?: string }> = {
  json_string: { doc: 'Escapes for use inside a JSON string literal.' },
  has_content: { doc: 'True when the value exists and is not empty.' },
  keys: { doc: 'The keys of a hash, as a sequence.' },
  values: { doc: 'The values of a hash.' },
  filter: { doc: 'Keeps the items a lambda accepts: `seq?filter(x -> x?has_content)`.', since: '2.3.29' },
  map: { doc: 'Transforms each item with a lambda: `seq?map(x -> x?upper_case)`.', since: '2.3.29' },
  take_while: { doc: 'Items up to the first the lambda rejects.', since: '2.3.29' },
  drop_while: { doc: 'Items after the first the lambda rejects.', since: '2.3.29' },
  size: { doc: 'The number of items.' },
  join: { doc: 'Joins a sequence into a string: `seq?join(",")`.' },
  c: { doc: 'A number or boolean as computer language text (no grouping): safe for JSON numbers.' },
  string: { doc: 'Converts to a string; for booleans `?string("yes", "no")`.' },
  number: { doc: 'Parses a string as a number.' },
  lower_case: { doc: 'Lower case.' },
  upper_case: { doc: 'Upper case.' },
  trim: { doc: 'Removes leading and trailing white space.' },
  replace: { doc: 'Replaces text: `s?replace("a", "b")`.' },
  default: { doc: 'Deprecated spelling of `!`: a default for a missing value.' },
  datetime: { doc: 'Parses a string as a date-time with a pattern.' },
  long: { doc: 'Converts a date to milliseconds since the epoch.' },
  eval_json: { doc: 'Parses a JSON string into a value.', since: '2.3.31' },
  sequence: { doc: 'Converts to a sequence.' },
  first: { doc: 'The first item.' },
  last: { doc: 'The last item.' },
  is_string: { doc: 'True for strings.' },
  is_number: { doc: 'True for numbers.' },
  then: { doc: 'Ternary: `cond?then(a, b)`.' },
};

export const DIRECTIVES: Record<string, string> = {
  list: '`<#list seq as x>...</#list>`: loops; `<#sep>` prints between items, `<#else>` when empty.',
  sep: '`<#sep>,</#sep>`: printed between list items, not after the last: no trailing comma in JSON.',
  if: '`<#if cond>...<#elseif>...<#else>...</#if>`.',
  elseif: 'Another branch of `<#if>`.',
  else: 'The last branch of `<#if>` or `<#list>`.',
  assign: '`<#assign name = value>`: a template variable.',
  setting: '`<#setting number_format="0.####">`: how numbers print. Amplitude\'s template sets this.',
  continue: 'Skips to the next `<#list>` item (FreeMarker 2.3.27+).',
  break: 'Leaves a `<#list>`.',
  items: 'Inside `<#list seq>`: the part repeated per item.',
  compress: 'Removes superfluous white space from its content.',
  attempt: '`<#attempt>...<#recover>...</#attempt>`: falls back when the content fails.',
  function: '`<#function name args>...</#function>`: a reusable expression.',
  macro: '`<#macro name args>...</#macro>`: a reusable fragment.',
  switch: '`<#switch value><#case x>...</#switch>`.',
};
