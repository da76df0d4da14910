/**
 * Sample events in Amplitude's export shape, built from the event types Braze Currents sends to
 * Amplitude (push, email, SMS, purchase, session, in-app, webhook, subscription, canvas).
 */
export interface SampleEvent {
  name: string;
  event: Record<string, unknown>;
}

let uuidCounter = 0;

/** One event in the export's shape (its fields, a Braze Currents user), numbered by `serial`: samples and evidence. */
export function exportShapedEvent(
  eventType: string,
  eventProperties: Record<string, unknown> | undefined,
  overrides: Record<string, unknown>,
  serial: number,
): Record<string, unknown> {
  return {
    event_type: eventType,
    user_id: 'user-000042',
    device_id: 'C8F9E604-F01A-4BD9-95C6-8E5357DF265D',
    event_time: '2026-11-20 14:03:27.518000',
    client_event_time: '2026-11-20 14:03:27.201000',
    server_upload_time: '2026-11-20 14:03:28.004000',
    amplitude_id: 501234567890,
    event_id: 1200 + serial,
    session_id: 1763647400000,
    $insert_id: `5f0adeff-6668-4427-8d02-57d803a2b8${String(10 + serial).padStart(2, '0')}`,
    uuid: `b4c5a2e6-1f6d-4c1e-9a7e-3a2f7e9d10${String(10 + serial).padStart(2, '0')}`,
    app: 187645,
    library: 'braze-currents/1.0',
    platform: 'iOS',
    os_name: 'ios',
    os_version: '17.4.1',
    device_model: 'iPhone15,2',
    country: 'United States',
    region: 'California',
    city: 'San Francisco',
    language: 'English',
    ip_address: '203.0.113.42',
    event_properties: eventProperties,
    user_properties: { email: 'ada@example.com', plan: 'premium', first_name: 'Ada', signup_date: '2025-03-14' },
    groups: { company_id: ['acme-inc'] },
    group_properties: { company_id: { 'acme-inc': { industry: 'Retail', seats: 120 } } },
    ...overrides,
  };
}

function base(
  eventType: string,
  eventProperties: Record<string, unknown>,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return exportShapedEvent(eventType, eventProperties, overrides, ++uuidCounter);
}

export const SAMPLE_EVENTS: readonly SampleEvent[] = [
  {
    name: 'Push Notification Send',
    event: base('Push Notification Send', {
      campaign_name: 'Spring sale',
      campaign_id: 'cmp_2231',
      message_variation_id: 'var_1',
      platform: 'ios',
      dispatch_id: 'dsp_77',
      send_id: 'snd_3',
    }),
  },
  {
    name: 'Push Notification Open',
    event: base('Push Notification Open', {
      campaign_name: 'Spring sale',
      canvas_name: 'Win back',
      canvas_step_name: 'Day 3 push',
      button_action_type: 'URI',
      button_string: 'Shop now',
    }),
  },
  {
    name: 'Email Open',
    event: base(
      'Email Open',
      {
        campaign_name: 'Weekly digest',
        email_address: 'ada@example.com',
        user_agent: 'Mozilla/5.0 (iPhone)',
        machine_open: 'false',
      },
      { platform: 'Web', os_name: 'ios' },
    ),
  },
  {
    name: 'Email Click',
    event: base(
      'Email Click',
      {
        campaign_name: 'Weekly digest',
        email_address: 'ada@example.com',
        url: 'https://example.com/articles/42?utm_source=braze',
        link_alias: 'hero_cta',
      },
      { platform: 'Web' },
    ),
  },
  {
    name: 'SMS Delivery',
    event: base(
      'SMS Delivery',
      {
        to_phone_number: '+14155550123',
        subscription_group_id: 'sg_1',
        from_phone_number: '+14155550100',
        campaign_name: 'Order shipped',
      },
      { platform: 'SMS' },
    ),
  },
  {
    name: 'In-App Message Click',
    event: base('In-App Message Click', { campaign_name: 'Onboarding tips', button_id: '1', card_id: 'card_9' }),
  },
  {
    name: 'Purchase',
    event: base(
      'Purchase',
      { product_id: 'sku-1138', price: 19.99, currency: 'USD', quantity: 2 },
      { revenue: 39.98, price: 19.99, quantity: 2, productId: 'sku-1138' },
    ),
  },
  { name: 'Session Start', event: base('Session Start', { session_id: 'sess_a1b2' }) },
  {
    name: 'Subscription Group State Change',
    event: base('Subscription Group State Change', {
      subscription_group_id: 'sg_1',
      subscription_status: 'Unsubscribed',
      channel: 'email',
    }),
  },
  {
    name: 'Webhook Send',
    event: base('Webhook Send', { campaign_name: 'CRM sync', canvas_name: 'Lifecycle', message_variation_id: 'var_2' }),
  },
  {
    name: 'Canvas Entry',
    event: base('Canvas Entry', {
      canvas_name: 'Lifecycle',
      canvas_variation_name: 'Variant A',
      in_control_group: false,
    }),
  },
  // "Amplitude for Currents" (Braze) types in_control_group as a boolean. No sample holds an array or object
  // property: Amplitude does not forward them (dataModel.ts). The checks render freemarker/evidenceEvents.ts.
  // A sparse event: a customer's own custom event with few fields, to catch templates that assume too much.
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
  // Hostile samples: what real events carry and naive templates break on.
  {
    name: 'Quotes and backslashes',
    event: base(
      'Clicked "Buy now"',
      { label: 'say "hi"', path: 'C:\\Temp\\export', regex: '^\\d+$' },
      { user_id: 'user\\42"' },
    ),
  },
  {
    name: 'Newlines, unicode and emoji',
    event: base('Line one\nLine two\tTabbed', {
      comment: 'multi\r\nline',
      emoji: '🎉 launch 🚀',
      rtl: 'مرحبا',
      separators: 'a\u2028b\u2029c',
      accents: "Saturday's cohort & héllo",
    }),
  },
  {
    name: 'Very large numbers',
    event: base(
      'Purchase',
      { order_total: 123456789012.5, units: 1e21, tiny: 0.000001, negative: -42 },
      {
        session_id: 1763647400000123,
        event_id: 9007199254740991,
        revenue: 98765432.1,
      },
    ),
  },
  {
    name: 'Null and empty properties',
    event: base(
      'Profile Viewed',
      { coupon: null, note: '', referrer: null },
      { device_id: null, platform: '', user_properties: { email: null, plan: '' }, groups: {} },
    ),
  },
  {
    name: 'Anonymous event (no user_id)',
    event: (() => {
      const event = base('Page Viewed', { page: '/pricing' });
      delete event.user_id;
      return event;
    })(),
  },
];

/**
 * The input fields a template may read without a guard: those Amplitude's documentation names as the ones to
 * rely on ("Create an Event Streaming Integration",
 * https://amplitude.com/docs/partners/create-an-event-streaming-integration:
 * "the most common ones such as user_id, event_type, event_time") and every sample carries.
 * user_id is not among them: anonymous events have none.
 */
export const GUARANTEED_INPUT_FIELDS: ReadonlySet<string> = new Set(['event_type', 'event_time']);

function identify(userId: string | undefined, userProperties: Record<string, unknown>): Record<string, unknown> {
  return {
    event_type: '$identify',
    ...(userId === undefined ? {} : { user_id: userId }),
    device_id: 'C8F9E604-F01A-4BD9-95C6-8E5357DF265D',
    event_time: '2026-11-20 14:05:02.114000',
    amplitude_id: 501234567890,
    platform: 'iOS',
    user_properties: userProperties,
  };
}

/**
 * Sample identifies for an identify forwarding template. Amplitude documents that it forwards Identify API
 * calls (docs/sources.md: "Integration Portal", "Create an Event Streaming Integration") but not the shape its
 * template sees: these follow the Identify API's fields (https://amplitude.com/docs/apis/analytics/identify)
 * (user_id, device_id, user_properties) in the event's export shape, with event_type "$identify"; this
 * tool's assumption, as the `identify` section is.
 */
export const SAMPLE_IDENTIFIES: readonly SampleEvent[] = [
  {
    name: 'Identify: a new user',
    event: identify('user-000042', { email: 'ada@example.com', plan: 'premium', first_name: 'Ada', age: 36 }),
  },
  { name: 'Identify: anonymous device (no user_id)', event: identify(undefined, { plan: 'free' }) },
  {
    name: 'Identify: quotes, unicode and an empty value',
    event: identify('user-"quoted"\\', { nickname: 'Zoë "Z" 🚀', bio: 'line one\nline two', company: '' }),
  },
  {
    name: 'Identify: arrays and objects (not forwarded)',
    event: identify('user-000043', { interests: ['ski', 'jazz'], address: { city: 'Lyon' }, plan: 'team' }),
  },
  {
    name: 'Identify: 300 attributes',
    event: identify(
      'user-000044',
      Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`attribute_${i + 1}`, `value ${i + 1}`])),
    ),
  },
];

/** The samples a template renders: events for `request`, identifies for `identify`. */
export function samplesFor(role: 'events' | 'identify'): readonly SampleEvent[] {
  return role === 'identify' ? SAMPLE_IDENTIFIES : SAMPLE_EVENTS;
}
