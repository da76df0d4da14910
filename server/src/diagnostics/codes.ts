import type { Severity } from '../base/diagnostic';

/**
 * Every diagnostic code, in one place: what it means, how severe it is, and how to fix it. It feeds the
 * editor's `codeDescription` links, the SARIF rules, docs/diagnostics.md and the README's reference (a
 * test fails when they differ), so a new check adds its code here.
 */
export interface CodeInfo {
  code: string;
  severity: Severity;
  /** Manifests, body templates, or both. */
  in: 'manifest' | 'template' | 'both';
  /** One line: what it means. */
  summary: string;
  /** The quick fix on offer, if any. */
  fix?: string;
}

/** Where the diagnostics reference lives: docs/diagnostics.md in the repository, one heading per code. */
export const DOCS_URL =
  'https://github.com/amplitude-partners/amplitude-integration-tools/blob/main/docs/diagnostics.md';

export function docsUrl(code: string): string {
  return `${DOCS_URL}#${code}`;
}

export const DIAGNOSTIC_CODES: readonly CodeInfo[] = [
  { code: 'syntax-error', severity: 'error', in: 'manifest', summary: 'Not valid JSON (comments are allowed).' },
  {
    code: 'too-deep',
    severity: 'error',
    in: 'manifest',
    summary: 'Nesting deeper than 128 levels; nothing else is checked.',
  },
  {
    code: 'unknown-property',
    severity: 'error',
    in: 'manifest',
    summary: 'A key the schema does not know (on the key).',
    fix: 'Rename to the closest known key.',
  },
  {
    code: 'missing-property',
    severity: 'error',
    in: 'manifest',
    summary: "A required key is missing (on the parent's key).",
  },
  { code: 'wrong-type', severity: 'error', in: 'manifest', summary: 'A value of the wrong type.' },
  {
    code: 'invalid-value',
    severity: 'error',
    in: 'manifest',
    summary: 'Not one of the allowed values, empty, or of the wrong form.',
  },
  {
    code: 'out-of-range',
    severity: 'error',
    in: 'manifest',
    summary: 'A number or length out of bounds (batch size 1-10,000, status 100-599).',
  },
  {
    code: 'field-not-for-kind',
    severity: 'warning',
    in: 'manifest',
    summary: 'A field the portal does not have for this kind (it would be lost).',
    fix: 'Remove it.',
  },
  {
    code: 'undeclared-variable',
    severity: 'error',
    in: 'manifest',
    summary: '`$name` in a value that is neither declared nor pre-defined: nothing can be sent.',
    fix: 'Declare it as a custom field.',
  },
  {
    code: 'undeclared-parameter',
    severity: 'error',
    in: 'both',
    summary: '`${parameters.x}` (manifest) or `parameters.x` (template) with no such parameter.',
    fix: 'Declare the parameter.',
  },
  {
    code: 'undeclared-mapped-field',
    severity: 'error',
    in: 'template',
    summary: '`mappedFields.x` that is not a user property mapping.',
  },
  {
    code: 'unused-variable',
    severity: 'warning',
    in: 'manifest',
    summary:
      'Declared (custom field, mapping field, header-auth key, parameter, user property mapping) but never ' +
      'used; shown faded.',
    fix: 'Remove the declaration.',
  },
  {
    code: 'variable-dash',
    severity: 'error',
    in: 'manifest',
    summary: '`$api-key`: a dash ends a variable name, and `$api` is not declared.',
    fix: 'Use `$api_key`.',
  },
  {
    code: 'literal-dollar-key',
    severity: 'warning',
    in: 'manifest',
    summary:
      'An object key such as `$set` that is no variable: sent as written; the portal documents no escape for `$`.',
  },
  {
    code: 'foreign-placeholder',
    severity: 'error',
    in: 'manifest',
    summary:
      "Another tool's placeholder (`${name}`, `{{name}}`) in a cohort string, or `$name` in a streaming URL " +
      'or header: sent as written.',
    fix: 'Use `$name` (cohort) or `${parameters.name}` (streaming).',
  },
  {
    code: 'unsupported-expression',
    severity: 'error',
    in: 'manifest',
    summary: 'An expression other than `${parameters.name}` in a streaming URL or header: sent as written.',
  },
  {
    code: 'predefined-alias',
    severity: 'information',
    in: 'manifest',
    summary: 'An alias spelling of a pre-defined variable (`$listId`, `$amplitude_cohort_name`).',
    fix: 'Use the canonical name.',
  },
  {
    code: 'duplicate-declaration',
    severity: 'error',
    in: 'manifest',
    summary: 'Two declarations of one variable name.',
  },
  {
    code: 'shadows-predefined',
    severity: 'error',
    in: 'manifest',
    summary: 'A custom or mapping field named like a pre-defined variable (`items`, `list_id`).',
  },
  {
    code: 'missing-options',
    severity: 'error',
    in: 'manifest',
    summary: 'A Single Select or Button Group without options.',
  },
  {
    code: 'default-not-an-option',
    severity: 'error',
    in: 'manifest',
    summary: 'A default that is not one of the options.',
  },
  { code: 'options-ignored', severity: 'warning', in: 'manifest', summary: 'Options on a String field.' },
  {
    code: 'missing-items',
    severity: 'error',
    in: 'manifest',
    summary: 'An add, remove or update payload without `$items`.',
  },
  {
    code: 'items-unavailable',
    severity: 'error',
    in: 'manifest',
    summary:
      '`$items` outside the payload of an add, remove or update call (a URL, a header, list creation, the ' +
      'item template).',
  },
  {
    code: 'list-id-unavailable',
    severity: 'error',
    in: 'manifest',
    summary: '`$list_id` in list creation, in a header of a list-based sync, or in a property-based sync.',
  },
  {
    code: 'membership-unavailable',
    severity: 'error',
    in: 'manifest',
    summary: '`$amp_cohort_membership` in a list-based manifest.',
  },
  {
    code: 'mapping-field-outside-items',
    severity: 'error',
    in: 'manifest',
    summary: 'A mapping field (one value per user) outside the item template.',
  },
  {
    code: 'membership-unused',
    severity: 'warning',
    in: 'manifest',
    summary:
      'A property-based update call that never uses `$amp_cohort_membership`: entering and leaving users ' +
      'would get the same request.',
  },
  {
    code: 'cohorts-overwrite',
    severity: 'warning',
    in: 'manifest',
    summary:
      'A property-based update that names no cohort (`$amp_cohort_name`, `$amp_cohort_id`, `$amp_cohort_url`): ' +
      'two cohorts synced to one destination overwrite each other.',
  },
  {
    code: 'invalid-list-id-path',
    severity: 'error',
    in: 'manifest',
    summary: 'A `listIdPath` that cannot be read (`$.data.id`, `a..b`); use `data.id` or `data[0].id`.',
  },
  {
    code: 'payload-text-not-json',
    severity: 'error',
    in: 'manifest',
    summary: '`payloadText` or `itemTemplateText` that is not JSON once its variables have values.',
  },
  {
    code: 'duplicate-error-classification',
    severity: 'error',
    in: 'manifest',
    summary: 'The same status and sub error code twice in one endpoint.',
  },
  {
    code: 'sub-error-code-not-object',
    severity: 'error',
    in: 'manifest',
    summary: 'A sub error code that is not a JSON object.',
    fix: 'Write it as an object (when it is JSON text).',
  },
  {
    code: 'copy-errors-from-invalid',
    severity: 'error',
    in: 'manifest',
    summary: '`copyErrorsFrom` names itself, a missing endpoint, or one without errors.',
  },
  {
    code: 'errors-and-copy-errors-from',
    severity: 'warning',
    in: 'manifest',
    summary: 'An endpoint with its own `errors` and a `copyErrorsFrom`: they conflict, and its own rows go unused.',
    fix: 'Remove one of the two.',
  },
  {
    code: 'no-error-classifications',
    severity: 'information',
    in: 'manifest',
    summary: 'An endpoint without error classifications.',
    fix: 'Add 200, 400, 401, 404, 429.',
  },
  {
    code: 'no-status-fallback',
    severity: 'information',
    in: 'manifest',
    summary: 'Every row of a status has a sub error code: other bodies with that status are unclassified.',
    fix: 'Add a row without a sub error code.',
  },
  {
    code: 'invalid-url',
    severity: 'error',
    in: 'manifest',
    summary: 'An endpoint URL that is not an absolute http(s) URL.',
  },
  { code: 'insecure-url', severity: 'warning', in: 'manifest', summary: 'An `http://` URL.', fix: 'Use `https://`.' },
  {
    code: 'bidi-control',
    severity: 'warning',
    in: 'manifest',
    summary:
      'A bidirectional control character (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C) in a key, ' +
      'a URL, a header or the payload: shown in one order, sent in another ("Trojan Source").',
  },
  { code: 'logo-missing', severity: 'error', in: 'manifest', summary: 'The logo file does not exist.' },
  { code: 'template-missing', severity: 'error', in: 'manifest', summary: 'The body template file does not exist.' },
  { code: 'step-image-missing', severity: 'error', in: 'manifest', summary: "A setup step's image does not exist." },
  {
    code: 'logo-not-png',
    severity: 'error',
    in: 'manifest',
    summary: 'The logo is not a PNG file (checked by its signature).',
  },
  {
    code: 'file-not-local',
    severity: 'error',
    in: 'manifest',
    summary: 'A file reference that is a URL, absolute, outside the workspace, or a link out of it: not read.',
  },
  {
    code: 'file-unreadable',
    severity: 'error',
    in: 'manifest',
    summary: 'A referenced file that is not a regular file (a device, a pipe) or is too large: not read.',
  },
  {
    code: 'setup-steps-count',
    severity: 'information',
    in: 'manifest',
    summary: 'Fewer than 5 or more than 8 setup steps (the portal recommends 5-8).',
  },
  {
    code: 'slugify-without-cohort-name',
    severity: 'information',
    in: 'manifest',
    summary: 'Slugify is on but no endpoint uses `$amp_cohort_name`.',
  },
  {
    code: 'internal-error',
    severity: 'error',
    in: 'manifest',
    summary: 'A check failed on this input; the others still ran (please report it).',
  },
  {
    code: 'template-syntax',
    severity: 'error',
    in: 'template',
    summary: "FreeMarker cannot parse the template (the engine's message and position).",
  },
  {
    code: 'template-engine',
    severity: 'error',
    in: 'template',
    summary: 'The FreeMarker engine failed on the template for another reason (its message).',
  },
  {
    code: 'template-render-error',
    severity: 'error',
    in: 'template',
    summary: "Rendering fails for some sample events (the engine's message, position, and the samples).",
  },
  {
    code: 'output-not-json',
    severity: 'error',
    in: 'template',
    summary: 'The output is not valid JSON for some sample events (the samples and an output are shown).',
  },
  {
    code: 'unescaped-string',
    severity: 'warning',
    in: 'template',
    summary:
      'An interpolation inside a JSON string without `?json_string`: a quote or newline in the value breaks the body.',
    fix: 'Add `?json_string` (`?c` for a number), once the engine confirms it.',
  },
  {
    code: 'unformatted-number',
    severity: 'warning',
    in: 'template',
    summary: 'A number printed without `?c` or a plain `number_format`: 1763647400000 becomes 1,763,647,400,000.',
    fix: 'Add `?c`, once the engine confirms it.',
  },
  {
    code: 'unguarded-input',
    severity: 'warning',
    in: 'template',
    summary: '`input.x` without `!` or `??` where Amplitude does not guarantee the field.',
    fix: 'Add a default to the whole value (`(input.a.b)!""`, `(input.x!0)?c`), once the engine confirms it.',
  },
  {
    code: 'engine-unavailable',
    severity: 'information',
    in: 'template',
    summary: "No Java or no worker: the engine's checks are off.",
  },
  {
    code: 'string-property-arithmetic',
    severity: 'warning',
    in: 'template',
    summary:
      'A number built-in, arithmetic or a comparison on a `mappedProperties` value, or an equality test ' +
      'against text without its JSON quotes: Amplitude sends forwarded custom properties as strings.',
  },
  {
    code: 'unforwarded-structure',
    severity: 'warning',
    in: 'template',
    summary:
      'A template that expects an array or object property (`?size`, `<#list>`, `[0]`, a nested field): ' +
      'Amplitude does not forward arrays or objects.',
  },
  {
    code: 'limit-exceeded',
    severity: 'warning',
    in: 'template',
    summary:
      "A sample's rendered body, properties or identifiers go over the `limits` the manifest declares " +
      '(body bytes, properties, identifier length).',
  },
  {
    code: 'breaking-change',
    severity: 'error',
    in: 'manifest',
    summary:
      '`diff`: a change that breaks customers who already set the integration up (a removed or renamed field, ' +
      'a new field without a default, a lost option, a new list id path, another authentication method).',
  },
  {
    code: 'risky-change',
    severity: 'warning',
    in: 'manifest',
    summary:
      '`diff`: a change existing setups feel (a new URL, payload, header or endpoint): test it ' + 'against your API.',
  },
  {
    code: 'safe-change',
    severity: 'information',
    in: 'manifest',
    summary: '`diff`: a change only new setups or readers see (descriptions, defaults, new options, error messages).',
  },
  // Contract checks: the manifest against the partner's own API description (server/src/contract).
  {
    code: 'api-description-unreadable',
    severity: 'error',
    in: 'manifest',
    summary:
      'The API description (`apiDescription` or `--api-description`) cannot be read: missing, outside the ' +
      'workspace, not YAML/JSON, not OpenAPI/Swagger, or a `$ref` that cannot be resolved. No contract check runs.',
  },
  {
    code: 'api-description-invalid',
    severity: 'warning',
    in: 'manifest',
    summary: 'The API description does not validate as OpenAPI/Swagger; its operations were still read and checked.',
  },
  {
    code: 'contract-no-operation',
    severity: 'error',
    in: 'manifest',
    summary: "An endpoint's URL matches no path of the API description (on the URL; the closest operation named).",
  },
  {
    code: 'contract-method',
    severity: 'error',
    in: 'manifest',
    summary: "An endpoint's path exists in the API description, but not with this method (on the method).",
  },
  {
    code: 'contract-parameter',
    severity: 'error',
    in: 'manifest',
    summary: "A path or query parameter the operation requires is not in the endpoint's URL (on the URL).",
  },
  {
    code: 'contract-auth',
    severity: 'error',
    in: 'manifest',
    summary:
      "The credentials go where the operation's security scheme does not take them (another header, the query, " +
      'Basic instead of Bearer, ...), or in the wrong form (`Bearer ` before a key the API wants bare, ' +
      'or the reverse).',
  },
  {
    code: 'contract-body-missing-key',
    severity: 'error',
    in: 'manifest',
    summary: "A request Amplitude would send lacks a key the operation's request schema requires.",
  },
  {
    code: 'contract-body-type',
    severity: 'error',
    in: 'manifest',
    summary: 'A value of the wrong JSON type for the request schema (the text `"true"` where a boolean goes).',
  },
  {
    code: 'contract-body-value',
    severity: 'error',
    in: 'manifest',
    summary: 'A literal value the request schema refuses: not in its enum, not of its format, out of its bounds.',
  },
  {
    code: 'contract-body-unknown-key',
    severity: 'error',
    in: 'manifest',
    summary: 'A key the request schema does not allow (`additionalProperties: false`): often a misspelt key.',
  },
  {
    code: 'contract-body-misspelt-key',
    severity: 'warning',
    in: 'manifest',
    summary:
      'A key the request schema does not list, a letter or two from one it lists and the body does not send: ' +
      'a misspelling the API would ignore.',
  },
  {
    code: 'contract-batch-size',
    severity: 'error',
    in: 'manifest',
    summary: "The batch size is larger than the request schema's `maxItems` for the user array.",
  },
  {
    code: 'contract-list-id-path',
    severity: 'error',
    in: 'manifest',
    summary: "`listIdPath` is not in list creation's documented 2xx answer, or names an object or array there.",
  },
  {
    code: 'contract-error-row',
    severity: 'information',
    in: 'manifest',
    summary: "A 4xx/5xx status the operation documents has no row in the endpoint's error table.",
  },
];

const BY_CODE = new Map(DIAGNOSTIC_CODES.map((info) => [info.code, info]));

export function codeInfo(code: string): CodeInfo | undefined {
  return BY_CODE.get(code);
}
