import { INPUT_FIELD_KINDS } from '../ftl/eventModel';
import { exportShapedEvent, SAMPLE_IDENTIFIES, type SampleEvent } from './sampleEvents';

/** The export's time: 6 fraction digits, all of them significant. */
const TIME = '2026-11-20 14:03:27.518243';

function exportEvent(
  eventType: string,
  eventProperties: Record<string, unknown> | undefined,
  overrides: Record<string, unknown> = {},
  serial = 1,
): Record<string, unknown> {
  const times = { event_time: TIME, client_event_time: '2026-11-20 14:03:27.201377' };
  const exported = { ...times, server_upload_time: '2026-11-20 14:03:28.004519', paying: false };
  const event = exportShapedEvent(eventType, eventProperties, { ...exported, ...overrides }, serial);
  for (const key of Object.keys(event)) if (event[key] === undefined) delete event[key];
  return event;
}

function without(event: Record<string, unknown>, ...keys: string[]): Record<string, unknown> {
  const copy = { ...event };
  for (const key of keys) delete copy[key];
  return copy;
}

function messaging(): SampleEvent[] {
  return [
    {
      name: 'Push Notification Send',
      event: exportEvent('[Appboy] Push Notification Send', {
        campaign_name: 'Spring sale',
        campaign_id: 'cmp_2231',
        message_variation_id: 'var_1',
        dispatch_id: 'dsp_77',
      }),
    },
    {
      name: 'Email Click (a URL, apostrophes)',
      event: exportEvent(
        '[Appboy] Email Click',
        {
          campaign_name: "Saturday's digest",
          email_address: "o'brien@example.com",
          url: 'https://example.com/articles/42?utm_source=braze&utm_medium=email#top',
        },
        { platform: 'Web', user_properties: { email: "o'brien@example.com", plan: 'team' } },
        2,
      ),
    },
    {
      name: 'Canvas Entry (in_control_group false)',
      event: exportEvent(
        '[Appboy] Canvas Entry',
        { canvas_id: 'cnv_1', canvas_name: 'Lifecycle', canvas_variation_id: 'cv_2', in_control_group: false },
        {},
        3,
      ),
    },
    {
      name: 'Canvas Entry (in_control_group true)',
      event: exportEvent(
        '[Appboy] Canvas Entry',
        { canvas_id: 'cnv_1', canvas_name: 'Lifecycle', canvas_variation_id: 'cv_3', in_control_group: true },
        { paying: true },
        4,
      ),
    },
  ];
}

function numbers(): SampleEvent[] {
  return [
    {
      name: 'Purchase (price 1299.99)',
      event: exportEvent(
        '[Appboy] Purchase',
        { product_id: 'sku-1138', price: 1299.99, currency: 'USD', quantity: 3 },
        { revenue: 3899.97, price: 1299.99, quantity: 3, productId: 'sku-1138' },
        5,
      ),
    },
    {
      name: 'Purchase (price 19.99)',
      event: exportEvent(
        '[Appboy] Purchase',
        { product_id: 'sku-7', price: 19.99, currency: 'EUR', quantity: 1 },
        { revenue: 19.99, price: 19.99, quantity: 1, productId: 'sku-7' },
        6,
      ),
    },
    {
      name: 'Location (coordinates)',
      event: exportEvent(
        '[Appboy] Location',
        { latitude: 37.774929, longitude: -122.419416, altitude: 16.25, ll_accuracy: 65.5 },
        { location_lat: 37.774929, location_lng: -122.419416 },
        7,
      ),
    },
    {
      name: 'Session End (duration 1843.5 s)',
      event: exportEvent('[Appboy] Session End', { session_id: 'sess_a1b2', duration: 1843.5 }, {}, 8),
    },
    {
      name: 'Very large numbers',
      event: exportEvent(
        '[Appboy] [Custom Event] Order Placed',
        { order_total: 123456789012.5, units: 1e21, tiny: 0.000001, negative: -42 },
        { amplitude_id: 1234567890123456, session_id: 1763647400000123, event_id: 9007199254740991 },
        9,
      ),
    },
  ];
}

function hostileText(): SampleEvent[] {
  return [
    {
      name: 'Quotes and backslashes',
      event: exportEvent(
        'Clicked "Buy now"',
        { label: 'say "hi"', path: 'C:\\Temp\\export', regex: '^\\d+$' },
        { user_id: 'user\\42"' },
        10,
      ),
    },
    {
      name: 'Newlines, U+2028, emoji and runs of spaces',
      event: exportEvent(
        'Line one\nLine two\tTabbed',
        { comment: 'multi\r\nline', emoji: '🎉 launch 🚀', separators: 'a\u2028b\u2029c', spaced: '  two  spaces  ' },
        { city: 'São  Paulo' },
        11,
      ),
    },
    {
      name: 'Keys with spaces, dots and brackets',
      event: exportEvent(
        '[Appboy] [Custom Event] Added to Cart',
        {
          '[Custom event property] color': 'red',
          'item.sku': 'sku-1',
          'gift wrap': 'yes',
          '[Purchase property] size': 'M',
        },
        {},
        12,
      ),
    },
  ];
}

function sparse(): SampleEvent[] {
  const anonymous = without(exportEvent('[Appboy] Session Start', { session_id: 'sess_c3d4' }, {}, 13), 'user_id');
  return [
    {
      name: 'Null and empty properties',
      event: exportEvent(
        'Profile Viewed',
        { coupon: null, note: '', referrer: null },
        { device_id: null, platform: '', user_properties: { email: null, plan: '' } },
        14,
      ),
    },
    { name: 'Anonymous event (no user_id)', event: anonymous },
    {
      name: 'Custom event (sparse)',
      event: {
        event_type: 'Level Complete',
        user_id: 'user-000043',
        event_time: '2026-11-20 15:00:00.000000',
        event_properties: { level: 7 },
        user_properties: {},
      },
    },
    {
      // The property bags are always there (Amplitude's own example reads input.user_properties.email!): empty.
      name: 'No groups, empty properties (missing parents)',
      event: {
        event_type: 'App Opened',
        device_id: 'a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d',
        event_time: TIME,
        event_properties: {},
        user_properties: {},
      },
    },
    {
      name: 'Times with 3 fraction digits',
      event: exportEvent(
        '[Appboy] Push Notification Open',
        { campaign_name: 'Spring sale', button_string: 'Shop now' },
        {
          event_time: '2022-02-28 20:07:01.795',
          client_event_time: '2022-02-28 20:07:01.412',
          server_upload_time: '2022-02-28 20:07:02.006',
        },
        15,
      ),
    },
    {
      name: 'Custom event, 320 properties',
      event: exportEvent(
        '[Appboy] [Custom Event] Profile Synced',
        Object.fromEntries(Array.from({ length: 320 }, (_, i) => [`attribute_${i + 1}`, `value ${i + 1}`])),
        {},
        16,
      ),
    },
  ];
}

type Bag = Record<string, unknown>;

/** Each text property of the other events, where it is text in all of them, with its spaces doubled. */
function spacedBag(events: readonly SampleEvent[], bag: 'event_properties' | 'user_properties'): Bag {
  const out: Bag = {};
  const notText = new Set<string>();
  for (const { event } of events) {
    const values = event[bag];
    if (typeof values !== 'object' || values === null || Object.keys(values).length > 50) continue;
    for (const [key, value] of Object.entries(values as Bag)) {
      if (typeof value !== 'string' || notText.has(key)) notText.add(key);
      else if (value.includes(' ')) out[key] = value.replace(/ /g, '  ');
    }
  }
  for (const key of notText) delete out[key];
  return out;
}

/**
 * Runs of spaces in the properties a template is likeliest to print: a partner's own text comes with them, and
 * only a value that has them shows a template (`<#compress>`, `?trim`-like rewrites) that collapses them.
 */
function spacedText(events: readonly SampleEvent[]): SampleEvent {
  const overrides = { user_properties: spacedBag(events, 'user_properties') };
  return {
    name: 'Runs of spaces in text properties',
    event: exportEvent('[Appboy] [Custom Event] Note  Saved', spacedBag(events, 'event_properties'), overrides, 17),
  };
}

function buildEvidence(): SampleEvent[] {
  const known = [...messaging(), ...numbers(), ...hostileText(), ...sparse()];
  const events = [...known, spacedText(known)];
  for (const { name, event } of events)
    for (const [key, value] of Object.entries(event)) {
      const kind = INPUT_FIELD_KINDS[key];
      if (kind && value !== null && !fits(kind, value)) throw new Error(`${name}: ${key} is not ${kind}`);
    }
  return events;
}

/** A field's value is of its kind in the model (the evidence cannot drift from it). */
function fits(kind: string, value: unknown): boolean {
  switch (kind) {
    case 'integer':
      return Number.isSafeInteger(value);
    case 'decimal':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'properties':
    case 'groups':
      return typeof value === 'object';
    default:
      return typeof value === 'string';
  }
}

/**
 * The evidence events: what the template checks render, so a finding comes from what the engine did with an
 * event that real traffic sends. Each one is Amplitude's export shape ("Export API",
 * https://amplitude.com/docs/apis/analytics/export; the field kinds of ftl/eventModel.ts) filled with the event
 * types and properties Braze Currents sends ("Amplitude for Currents",
 * https://www.braze.com/docs/partners/amplitude_for_currents/: `price` a float, `in_control_group` a boolean,
 * `[Appboy]`-prefixed names, `[Custom event property]`-prefixed keys), and together they hold every way a real
 * value goes wrong in a template: quotes, backslashes, newlines, U+2028, apostrophes, emoji, runs of spaces;
 * numbers of 13 to 16 digits, money of four digits and more, coordinates, 1e21, integers and decimals; real
 * booleans; nulls; missing fields and missing parents; keys with spaces, dots and brackets; anonymous events;
 * times with the 6 fraction digits the export writes and the 3 the streaming docs show
 * ("Create an Event Streaming Integration": `2022-02-28 20:07:01.795`). No array or object property: Amplitude
 * does not forward them (same page, Limitations). The named samples (sampleEvents.ts) stay for previews.
 */
export const EVIDENCE_EVENTS: readonly SampleEvent[] = buildEvidence();

/** What the checks render: the evidence events for `request`, the sample identifies for `identify`. */
export function evidenceFor(role: 'events' | 'identify'): readonly SampleEvent[] {
  return role === 'identify' ? SAMPLE_IDENTIFIES : EVIDENCE_EVENTS;
}
