import type { IngestionModel } from '../manifest/ingestion';
import type { BuiltRequest } from './request';

/** Amplitude's HTTP API v2 request for an event ingestion source, with the partner_id. */
export function buildIngestionRequest(
  ingestion: IngestionModel,
  apiKey: string,
  endpoint = 'https://api2.amplitude.com/2/httpapi',
): BuiltRequest {
  const partnerId = ingestion.partnerId ?? '';
  const now = Date.now();
  const body = {
    api_key: apiKey,
    events: [
      {
        user_id: 'user-000001',
        event_type: 'Email Opened',
        time: now,
        partner_id: partnerId,
        event_properties: { campaign_name: 'Welcome series', channel: 'email' },
      },
      {
        user_id: 'user-000001',
        event_type: 'Email Clicked',
        time: now + 1000,
        partner_id: partnerId,
        event_properties: { campaign_name: 'Welcome series', url: 'https://example.com/welcome' },
      },
    ],
  };
  return {
    endpoint: 'events',
    method: 'POST',
    url: endpoint,
    headers: { 'Content-Type': 'application/json', Accept: '*/*' },
    body: JSON.stringify(body),
    secrets: [apiKey],
  };
}
