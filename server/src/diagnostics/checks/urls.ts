import type { JSONPath } from 'jsonc-parser';
import { replaceSpan } from '../../base/jsonEdits';
import { streamingRequest } from '../../manifest/streaming';
import type { ManifestCheck, ManifestDiagnostic } from '../types';

/** A stand-in value for every variable, so the URL's shape can be checked before any value is known. */
function withPlaceholders(url: string): string {
  return url.replace(/\$\{[^}]*\}/g, 'x').replace(/\$[A-Za-z_][A-Za-z0-9_]*/g, 'x');
}

/** Endpoint URLs must be absolute http(s) URLs, and should be https: Amplitude sends customers' data and keys. */
export const urlsCheck: ManifestCheck = {
  codes: ['invalid-url', 'insecure-url'],
  run: ({ doc, model }) => {
    const urls: { value: string | undefined; path: JSONPath }[] = model.endpoints.map((e) => ({
      value: e.url,
      path: [...e.path, 'url'],
    }));
    const request = streamingRequest(model.streaming, 'events');
    if (request) urls.push({ value: request.url, path: [...request.path, 'url'] });
    const out: ManifestDiagnostic[] = [];
    for (const { value, path } of urls) {
      if (value === undefined || value === '') continue;
      let parsed: URL | undefined;
      try {
        parsed = new URL(withPlaceholders(value));
      } catch {
        parsed = undefined;
      }
      if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
        out.push({
          ...doc.spanAt(path),
          code: 'invalid-url',
          severity: 'error',
          message: `"${value}" is not an absolute http(s) URL, for example https://api.example.com/lists.`,
        });
      } else if (parsed.protocol === 'http:') {
        const schemeStart = doc.stringContentSpanAt(path).start;
        out.push({
          start: schemeStart,
          end: schemeStart + 'http'.length,
          code: 'insecure-url',
          severity: 'warning',
          message:
            "This URL uses http: customers' user ids and API keys would cross the internet unencrypted. Use https.",
          fixes: [
            {
              title: 'Use https',
              edits: () => [replaceSpan(schemeStart, schemeStart + 'http'.length, 'https')],
              preferred: true,
            },
          ],
        });
      }
    }
    return out;
  },
};
