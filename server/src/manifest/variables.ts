import type { Span } from '../base/text';

export type AuthMethod = 'none' | 'basic' | 'header' | 'bearer';

export interface PredefinedVariable {
  name: string;
  /** Spellings from the docs' prose that mean the same variable. */
  aliases: string[];
  summary: string;
  documentation: string;
}

/** Property-based syncs: whether the users in this update call entered (true) or left (false) the cohort. */
export const MEMBERSHIP_VARIABLE = 'amp_cohort_membership';

/** The names Amplitude fills in itself (portal screenshots), with the prose spellings as aliases. */
export const PREDEFINED_VARIABLES: readonly PredefinedVariable[] = [
  {
    name: 'items',
    aliases: [],
    summary: 'The batch of users (JSON array)',
    documentation:
      'The batch of users being added, removed or updated: a JSON array with one element per user, each ' +
      "built from the endpoint's `itemTemplate`, at most `batchSize` (default 10,000) per call. Write it as the " +
      'whole string `"$items"` to send the array itself.',
  },
  {
    name: 'list_id',
    aliases: ['listId', 'list_Id'],
    summary: 'The id of the list in your platform',
    documentation:
      'The list id your list creation endpoint returned (read from the response with `listIdPath`, default ' +
      '`listId`). Available in add and remove calls, not in list creation itself.',
  },
  {
    name: 'amp_cohort_name',
    aliases: ['amplitude_cohort_name'],
    summary: "The cohort's name in Amplitude",
    documentation:
      'The name of the cohort being synced. With `slugifyCohortName` on, it is sent as a slug: NFKD, every ' +
      'run of characters outside `A-Z a-z 0-9 _` becomes `-`, at most 100 characters.',
  },
  {
    name: 'amp_cohort_id',
    aliases: [],
    summary: "The cohort's id in Amplitude",
    documentation: "The id of the cohort being synced, as Amplitude shows it in the cohort's URL.",
  },
  {
    name: 'amp_cohort_url',
    aliases: [],
    summary: 'Link to the cohort in Amplitude',
    documentation: 'The URL of the cohort in Amplitude, handy for linking back from your platform.',
  },
  {
    name: MEMBERSHIP_VARIABLE,
    aliases: [],
    summary: 'true when the users entered the cohort, false when they left (property-based)',
    documentation:
      'Property-based syncs only. Amplitude calls the update endpoint when users enter the cohort and when ' +
      'they leave it; this is `true` in the first call and `false` in the second. Write it as the whole string ' +
      '`"$amp_cohort_membership"` to send a JSON boolean, or inside a string (`"tag_$amp_cohort_membership"`) to ' +
      "send the text. The portal's public screenshots show no name for this value; `amp_cohort_membership` is " +
      "this extension's name for it (see the README).",
  },
];

export interface AuthVariable {
  name: string;
  defaultDisplayName: string;
  /** The `authentication` property that renames its input in the setup modal. */
  displayNameKey: 'apiKeyDisplayName' | 'apiSecretDisplayName' | 'bearerTokenDisplayName';
  /** True where Amplitude builds the Authorization header itself, so the variable needs no explicit use. */
  usedByAuthHeader: boolean;
  documentation: string;
}

const API_KEY_DOC = 'The API key the customer types in the setup modal.';

export const AUTH_VARIABLES: Record<AuthMethod, AuthVariable[]> = {
  none: [],
  basic: [
    {
      name: 'api_key',
      defaultDisplayName: 'API Key',
      displayNameKey: 'apiKeyDisplayName',
      usedByAuthHeader: true,
      documentation: `${API_KEY_DOC} Amplitude sends \`Authorization: Basic base64(api_key:api_secret)\`.`,
    },
    {
      name: 'api_secret',
      defaultDisplayName: 'API Secret',
      displayNameKey: 'apiSecretDisplayName',
      usedByAuthHeader: true,
      documentation:
        'The optional API secret the customer types in the setup modal; the password half of Basic authentication.',
    },
  ],
  header: [
    {
      name: 'api_key',
      defaultDisplayName: 'API Key',
      displayNameKey: 'apiKeyDisplayName',
      usedByAuthHeader: false,
      documentation:
        `${API_KEY_DOC} With the Authentication Header method, put it in \`headers\`, for ` +
        `example \`"Authorization": "App $api_key"\`.`,
    },
  ],
  bearer: [
    {
      name: 'bearer_token',
      defaultDisplayName: 'Bearer Token',
      displayNameKey: 'bearerTokenDisplayName',
      usedByAuthHeader: true,
      documentation:
        'The token the customer types in the setup modal. Amplitude sends `Authorization: Bearer <token>`.',
    },
  ],
};

const ALIAS_TO_CANONICAL = new Map<string, PredefinedVariable>();
const PREDEFINED_BY_NAME = new Map<string, PredefinedVariable>();
for (const variable of PREDEFINED_VARIABLES) {
  PREDEFINED_BY_NAME.set(variable.name, variable);
  for (const alias of variable.aliases) ALIAS_TO_CANONICAL.set(alias, variable);
}

export function predefinedVariable(name: string): PredefinedVariable | undefined {
  return PREDEFINED_BY_NAME.get(name) ?? ALIAS_TO_CANONICAL.get(name);
}

/** The canonical name for an alias spelling, or undefined when `name` is not an alias. */
export function canonicalForAlias(name: string): string | undefined {
  return ALIAS_TO_CANONICAL.get(name)?.name;
}

export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * What Amplitude does with a `$name` in a cohort URL, header or payload: the one rule that validation,
 * the variables table, the preview and the request builder all follow.
 * - `variable`: declared, pre-defined or an alias: replaced by its value.
 * - `literal`: an unknown name in an object key: sent as it is written (APIs such as Mixpanel's profile
 *   updates use keys like `$set` and `$distinct_id`); the portal documents no way to escape it.
 * - `undeclared`: an unknown name anywhere else: an error, nothing can be sent.
 */
export type DollarRole = 'variable' | 'literal' | 'undeclared';

export function dollarRole(name: string, inKey: boolean, declared: ReadonlySet<string>): DollarRole {
  if (declared.has(name) || predefinedVariable(name)) return 'variable';
  return inKey ? 'literal' : 'undeclared';
}

const VARIABLE_AT = /\$([A-Za-z_][A-Za-z0-9_]*)((?:-[A-Za-z0-9_]+)*)/y;

/**
 * Calls `found` for each `$name` in text[start, end): the source text between a JSON string's quotes,
 * so ranges stay exact even when the string holds escapes. No slicing: manifests can be megabytes.
 */
export function scanVariablesIn(
  text: string,
  start: number,
  end: number,
  found: (name: string, matchStart: number, matchEnd: number, dashTail: string | undefined) => void,
): void {
  for (let at = text.indexOf('$', start); at >= 0 && at < end; at = text.indexOf('$', at + 1)) {
    VARIABLE_AT.lastIndex = at;
    const m = VARIABLE_AT.exec(text);
    if (!m || at + m[0].length > end) continue;
    found(m[1], at, at + m[0].length, m[2] || undefined);
  }
}

export interface ParameterMatch extends Span {
  name: string;
}

const PARAMETER_IN_TEXT = /\$\{\s*parameters\.([A-Za-z_][A-Za-z0-9_]*)\s*[}!?]/g;

/** `${parameters.x}` references in a streaming URL or header value (raw text, as above). */
export function scanParameterReferences(raw: string, baseOffset: number): ParameterMatch[] {
  if (raw.indexOf('parameters') < 0) return [];
  const matches: ParameterMatch[] = [];
  PARAMETER_IN_TEXT.lastIndex = 0;
  for (let m = PARAMETER_IN_TEXT.exec(raw); m; m = PARAMETER_IN_TEXT.exec(raw)) {
    const nameStart = baseOffset + m.index + m[0].indexOf(m[1], 2 + m[0].indexOf('parameters'));
    matches.push({ name: m[1], start: nameStart, end: nameStart + m[1].length });
  }
  return matches;
}

/** Slugify as the docs define it: NFKD, runs outside [A-Za-z0-9_] become one hyphen, at most 100 characters. */
export function slugify(cohortName: string): string {
  return cohortName
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9_]+/g, '-')
    .slice(0, 100);
}
