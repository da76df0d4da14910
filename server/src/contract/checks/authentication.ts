import type { JSONPath } from 'jsonc-parser';
import type { ManifestDiagnostic } from '../../base/diagnostic';
import type { Span } from '../../base/text';
import { secretVariableNames } from '../../testing/values';
import type { ContractCall, ContractCheck, ContractContext } from '../context';
import type { ApiSecurityRequirement, ApiSecurityScheme } from '../description';
import { operationName, urlQuery } from '../operations';

/** How the manifest sends its credentials for one call. */
type Credential = (
  | { kind: 'basic' | 'bearer'; at: JSONPath }
  | { kind: 'header'; name: string; value: string; at: JSONPath }
  | { kind: 'query'; name: string; at: JSONPath }
) & {
  /** It holds a secret (the key): what the manifest sends as its credentials. Every header and query parameter is
   * listed, so a scheme's header is found even when its value is not marked secret. */
  secret: boolean;
};

/** The call's credentials against the operation's security: where the key goes, and its form. */
export const authenticationCheck: ContractCheck = {
  codes: ['contract-auth'],
  run: (context) => {
    // The authentication method and the top-level headers serve every cohort call: one finding on them.
    const seen = new Set<string>();
    return context.calls
      .flatMap((call) => callFindings(context, call))
      .filter((d) => (seen.has(`${d.start}:${d.end}`) ? false : (seen.add(`${d.start}:${d.end}`), true)));
  },
};

function secretNames(context: ContractContext): Set<string> {
  return secretVariableNames(context.model, context.doc.value);
}

/** A value holds a secret: `$api_key`, `$bearer_token`, a secret custom field, `${parameters.secret}`. */
function holdsSecret(value: string, secrets: Set<string>): boolean {
  for (const m of value.matchAll(/\$\{\s*parameters\.([A-Za-z_]\w*)\s*\}|\$([A-Za-z_]\w*)/g)) {
    if (secrets.has(m[1] ?? m[2])) return true;
  }
  return false;
}

function credentialsOf(context: ContractContext, call: ContractCall): Credential[] {
  const out: Credential[] = [];
  const method = context.model.authMethod;
  if (method === 'basic' || method === 'bearer')
    out.push({ kind: method, at: ['authentication', 'method'], secret: true });
  const secrets = secretNames(context);
  for (const [name, value] of Object.entries(call.headers)) {
    // A streaming Authorization header holds the key whatever its parameter is called.
    const streamingAuth = call.headersPath.length > 1 && name.toLowerCase() === 'authorization' && /\$\{/.test(value);
    const secret = holdsSecret(value, secrets) || streamingAuth;
    out.push({ kind: 'header', name, value, at: [...call.headersPath, name], secret });
  }
  for (const [name, value] of urlQuery(call.url))
    out.push({ kind: 'query', name, at: [...call.path, 'url'], secret: holdsSecret(value, secrets) });
  return out;
}

function describeCredential(c: Credential): string {
  if (c.kind === 'basic') return 'Basic authentication (Authorization: Basic ...)';
  if (c.kind === 'bearer') return 'a Bearer token (Authorization: Bearer ...)';
  if (c.kind === 'header') return `the header ${c.name}: ${c.value}`;
  if (c.kind === 'query') return `the query parameter ${c.name}`;
  return 'a credential';
}

function describeScheme(s: ApiSecurityScheme): string {
  if (s.type === 'apiKey') return `the ${s.in} ${s.in === 'header' ? 'header' : 'parameter'} "${s.name}" (${s.id})`;
  if (s.type === 'http') return `HTTP ${s.scheme} authentication (${s.id})`;
  return `${s.type} (${s.id})`;
}

const bearerPrefix = (value: string): boolean => /^\s*bearer\s/i.test(value);

/** Undefined: the scheme is met; else a finding's span and reason. A scheme this cannot judge is met. */
function unmet(s: ApiSecurityScheme, sent: Credential[]): { at?: JSONPath; form?: string } | undefined {
  const header = (name: string) => sent.find((c) => c.kind === 'header' && c.name.toLowerCase() === name);
  if (s.type === 'apiKey') {
    if (s.in === 'cookie') return undefined;
    // Amplitude's own Authorization header: the description does not say which form the key takes there.
    if (
      s.in === 'header' &&
      s.name.toLowerCase() === 'authorization' &&
      sent.some((c) => c.kind === 'basic' || c.kind === 'bearer')
    )
      return undefined;
    const found =
      s.in === 'header' ? header(s.name.toLowerCase()) : sent.find((c) => c.kind === 'query' && c.name === s.name);
    if (!found) return {};
    if (found.kind === 'header' && s.name.toLowerCase() !== 'authorization' && bearerPrefix(found.value))
      return { at: found.at, form: `"Bearer " before the key: ${s.name} takes the key bare` };
    return undefined;
  }
  if (s.type === 'http' && (s.scheme === 'basic' || s.scheme === 'bearer')) {
    const prefix = s.scheme === 'basic' ? /^\s*basic\s/i : /^\s*bearer\s/i;
    if (sent.some((c) => c.kind === s.scheme)) return undefined;
    const auth = header('authorization');
    if (auth?.kind === 'header' && prefix.test(auth.value)) return undefined;
    if (auth?.kind === 'header' && s.scheme === 'bearer' && !/^\s*\w+\s/.test(auth.value))
      return { at: auth.at, form: 'the token without "Bearer " before it: the scheme is HTTP bearer' };
    return {};
  }
  if (s.type === 'oauth2' || s.type === 'openIdConnect') {
    const auth = header('authorization');
    const ok = sent.some((c) => c.kind === 'bearer') || (auth?.kind === 'header' && bearerPrefix(auth.value));
    return ok ? undefined : {};
  }
  return undefined;
}

function callFindings(context: ContractContext, call: ContractCall): ManifestDiagnostic[] {
  const operation = call.match.operation;
  if (!operation || operation.security.length === 0) return [];
  const sent = credentialsOf(context, call);
  const keys = sent.filter((c) => c.secret);
  if (keys.length === 0) return []; // nothing recognisable as a credential: the manifest may use a custom field
  const verdicts = operation.security.map((alternative) => alternative.map((s) => ({ s, why: unmet(s, sent) })));
  if (verdicts.some((alternative) => alternative.every((v) => v.why === undefined))) return [];
  const form = verdicts.flat().find((v) => v.why?.form);
  const span: Span = context.doc.spanAt(form?.why?.at ?? keys[0].at);
  const wanted = operation.security.map((alternative: ApiSecurityRequirement) =>
    alternative.map(describeScheme).join(' and '),
  );
  const message = form
    ? `${call.title} sends ${form.why?.form} (${operationName(operation)}, ${describeScheme(form.s)}).`
    : `${call.title} sends ${keys.map(describeCredential).join(' and ')}, but ${operationName(operation)} ` +
      `takes ${wanted.join(', or ')}.`;
  return [{ ...span, code: 'contract-auth', severity: 'error', message }];
}
