import { streamingRequest, type StreamingModel } from '../../manifest/streaming';
import { requestKey, type StreamingRole } from '../../manifest/usage';
import { ownValue } from '../../base/records';
import { methodProblem, STREAMING_METHODS } from '../method';
import { RequestBuildError, type BuiltRequest } from '../request';
import { secretParameterNames } from '../values';

export const STREAMING_USER_AGENT = 'Amplitude/EventStreaming/1.0';

/** `${parameters.x}` in the request URL and headers, as Amplitude fills them. */
function fillParameters(
  text: string,
  values: Record<string, string>,
  encode: (s: string) => string = (s) => s,
): string {
  return text.replace(/\$\{\s*parameters\.([A-Za-z_][A-Za-z0-9_]*)\s*\}/g, (whole, name: string) => {
    const value = ownValue(values, name);
    return value === undefined ? whole : encode(value);
  });
}

/** The request Amplitude sends for one event; secrets are the parameters marked secret or named like one. */
export function buildStreamingRequest(
  streaming: StreamingModel,
  body: string,
  parameterValues: Record<string, string>,
  role: StreamingRole = 'events',
): BuiltRequest {
  const request = streamingRequest(streaming, role);
  const url = request?.url;
  if (!url) throw new Error(`The manifest has no ${requestKey(role)}.url.`);
  const method = request.method ?? 'POST';
  const badMethod = methodProblem(method, STREAMING_METHODS);
  if (badMethod) throw new RequestBuildError(`${requestKey(role)}: ${badMethod}`);
  const headers: Record<string, string> = { 'User-Agent': STREAMING_USER_AGENT };
  for (const [key, value] of Object.entries(request.headers)) headers[key] = fillParameters(value, parameterValues);
  if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
    headers['Content-Type'] = 'application/json';
  const secrets = [...secretParameterNames(streaming)]
    .map((name) => ownValue(parameterValues, name) ?? '')
    .filter(Boolean);
  return {
    endpoint: role,
    method,
    url: fillParameters(url, parameterValues, encodeURIComponent),
    headers,
    body,
    secrets,
  };
}
