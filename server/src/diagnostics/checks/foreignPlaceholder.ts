import type { JSONPath } from 'jsonc-parser';
import type { ManifestDocument } from '../../manifest/document';
import { forEachStringWith, type ManifestModel } from '../../manifest/model';
import { streamingRequest } from '../../manifest/streaming';
import { isObject, objectAt } from '../../base/value';
import { replaceSpan } from '../../base/jsonEdits';
import type { CheckContext, ManifestCheck, ManifestDiagnostic } from '../types';

/** A string (or key) the check reads, with where its raw text is. */
interface Scanned {
  text: string;
  path: JSONPath;
  isKey: boolean;
}

function stringsUnder(value: unknown, base: JSONPath, marker: string, into: Scanned[]): void {
  forEachStringWith(marker, value, base, (text, path, isKey) => into.push({ text, path, isKey }));
}

/** The raw text of a scanned string, with its offset: matches are found there, so ranges are exact. */
function rawOf(doc: ManifestDocument, scanned: Scanned): { raw: string; offset: number } {
  const span = scanned.isKey ? doc.keyContentSpanAt(scanned.path) : doc.stringContentSpanAt(scanned.path);
  return { raw: doc.text.slice(span.start, span.end), offset: span.start };
}

const NAME_CHAR = /[A-Za-z0-9_]/;

/** Other tools' placeholders in a cohort string: `${name}` (FreeMarker, shells) and `{{name}}` (Handlebars). */
const COHORT_FOREIGN = /\$\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}|\{\{\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}\}/g;

function cohortStrings(doc: ManifestDocument): Scanned[] {
  const out: Scanned[] = [];
  const root = doc.value;
  for (const [key, value] of Object.entries(objectAt(root, 'headers') ?? {})) {
    stringsUnder(value, ['headers', key], '{', out);
  }
  for (const [name, endpoint] of Object.entries(objectAt(root, 'endpoints') ?? {})) {
    if (!isObject(endpoint)) continue;
    for (const part of ['url', 'payload', 'itemTemplate', 'payloadText', 'itemTemplateText'])
      stringsUnder(endpoint[part], ['endpoints', name, part], '{', out);
  }
  return out;
}

function cohortDiagnostics(doc: ManifestDocument): ManifestDiagnostic[] {
  const out: ManifestDiagnostic[] = [];
  for (const scanned of cohortStrings(doc)) {
    const { raw, offset } = rawOf(doc, scanned);
    COHORT_FOREIGN.lastIndex = 0;
    for (let m = COHORT_FOREIGN.exec(raw); m; m = COHORT_FOREIGN.exec(raw)) {
      const name = m[1] ?? m[2];
      const start = offset + m.index;
      const end = start + m[0].length;
      const followedByName = NAME_CHAR.test(raw[m.index + m[0].length] ?? '');
      const dotted = name.includes('.');
      const canFix = !followedByName && !dotted;
      out.push({
        start,
        end,
        code: 'foreign-placeholder',
        severity: 'error',
        message:
          `Amplitude sends "${m[0]}" as it is written: cohort URLs, headers and payloads use $name, not ` +
          `${m[1] !== undefined ? '${name}' : '{{name}}'}.` +
          (followedByName
            ? ` Here a letter follows, and $${name} would run into it: the portal has no way to end a ` +
              `variable name before a letter or digit.`
            : ''),
        fixes: canFix
          ? [{ title: `Change to $${name}`, edits: () => [replaceSpan(start, end, `$${name}`)], preferred: true }]
          : undefined,
      });
    }
  }
  return out;
}

const STREAMING_EXPRESSION = /\$\{([^}]*)\}|\{\{\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;
const PARAMETER_EXPRESSION = /^\s*parameters\.[A-Za-z_][A-Za-z0-9_]*\s*$/;

/** A problem in a streaming URL or header: a cohort `$name`, `{{name}}`, or an expression not `${parameters.x}`. */
function streamingProblem(m: RegExpExecArray, start: number, end: number): ManifestDiagnostic | undefined {
  const [whole, expression, handlebars, dollarName] = m;
  if (expression !== undefined) {
    if (PARAMETER_EXPRESSION.test(expression)) return undefined;
    return {
      start,
      end,
      code: 'unsupported-expression',
      severity: 'error',
      message:
        `Only \${parameters.name} is filled in the request URL and headers; "${whole}" would be sent as it is ` +
        'written. Compute values in the body template, or declare a parameter.',
    };
  }
  const name = handlebars ?? dollarName;
  const dotted = name.includes('.');
  return {
    start,
    end,
    code: 'foreign-placeholder',
    severity: 'error',
    message:
      `Amplitude sends "${whole}" as it is written: event streaming URLs and headers use \${parameters.name}` +
      `${dollarName !== undefined ? ' ($name is the cohort syntax)' : ''}.`,
    fixes: dotted
      ? undefined
      : [
          {
            title: `Change to \${parameters.${name}}`,
            edits: () => [replaceSpan(start, end, `\${parameters.${name}}`)],
            preferred: true,
          },
        ],
  };
}

function streamingDiagnostics(doc: ManifestDocument, model: ManifestModel): ManifestDiagnostic[] {
  const request = streamingRequest(model.streaming, 'events');
  if (!request) return [];
  const scanned: Scanned[] = [];
  stringsUnder(request.url, [...request.path, 'url'], '', scanned);
  for (const [key, value] of Object.entries(request.headers))
    stringsUnder(value, [...request.path, 'headers', key], '', scanned);
  const out: ManifestDiagnostic[] = [];
  for (const item of scanned.filter((s) => !s.isKey)) {
    const { raw, offset } = rawOf(doc, item);
    STREAMING_EXPRESSION.lastIndex = 0;
    for (let m = STREAMING_EXPRESSION.exec(raw); m; m = STREAMING_EXPRESSION.exec(raw)) {
      const found = streamingProblem(m, offset + m.index, offset + m.index + m[0].length);
      if (found) out.push(found);
    }
  }
  return out;
}

/**
 * Placeholders Amplitude does not fill, which would reach the partner's API as written: other tools'
 * syntax in cohort strings, and cohort or other syntax in a streaming request's URL and headers.
 */
export const foreignPlaceholderCheck: ManifestCheck = {
  codes: ['foreign-placeholder', 'unsupported-expression'],
  run: ({ doc, model }: CheckContext) =>
    model.kind === 'event-streaming' ? streamingDiagnostics(doc, model) : cohortDiagnostics(doc),
};
