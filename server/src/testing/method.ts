/**
 * The HTTP methods the manifest schema allows (schemas/integration-manifest.schema.json): an endpoint's
 * POST, PUT, PATCH or DELETE, a streaming request's PUT, POST or PATCH. Our own checks also send GET.
 */
export const ENDPOINT_METHODS: readonly string[] = ['POST', 'PUT', 'PATCH', 'DELETE'];
export const STREAMING_METHODS: readonly string[] = ['PUT', 'POST', 'PATCH'];
export const ALLOWED_METHODS: readonly string[] = ['GET', ...ENDPOINT_METHODS];

/** Why a request with this method is not built, shown or copied (undefined when it can be). */
export function methodProblem(method: string, allowed: readonly string[] = ALLOWED_METHODS): string | undefined {
  if (allowed.includes(method)) return undefined;
  return (
    `The method ${JSON.stringify(method)} is not one of ${allowed.join(', ')}: fix the manifest's "method" ` +
    '(validate reports it); nothing is shown, sent or copied until then.'
  );
}
