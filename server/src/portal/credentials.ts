import type { CurlRequest } from './curl';

/**
 * A copied cURL command often holds a real credential: `Authorization: Bearer abc123`, `-u user:pass`,
 * `X-Api-Key: ...`, `?api_key=...`. An import turns each into the variable a customer fills in and never
 * keeps the value (not in the fragment, the notes or an error), so a real token cannot land in git.
 */
export type CredentialMethod = 'bearer' | 'basic' | 'header';

export interface CredentialsReplaced {
  request: CurlRequest;
  /** The authentication method the literal credentials call for (the first one found). */
  method?: CredentialMethod;
  /** Variables standing for credentials beyond the method's own: declared as secret inputs. */
  secretNames: string[];
  notes: string[];
}

/** How a variable is written: cohort manifests say `$name`, streaming ones `${parameters.name}`. */
export type VariableStyle = 'cohort' | 'streaming';

const KEY_HEADER = /^(x-)?(api[-_]?key|auth[-_]?token|access[-_]?token)$/i;
const KEY_QUERY = /([?&])(api[-_]?key|apikey|access_token|token|key)=([^&#]*)/gi;
const AUTHORIZATION = /^(\w+)\s+(.+)$/;

const isLiteral = (value: string) => value.trim() !== '' && !/\$\{?[A-Za-z_]/.test(value);

class Replacer {
  method?: CredentialMethod;
  readonly secretNames: string[] = [];
  readonly notes: string[] = [];
  constructor(readonly style: VariableStyle) {}

  /** The variable for a credential: the method's own when it is the first, else a secret input. */
  variable(method: CredentialMethod, own: string, where: string): string {
    // A cohort manifest has one method: a second kind of credential becomes a secret custom field.
    const other = this.style === 'cohort' && this.method !== undefined && this.method !== method;
    const name = other ? `${own}_${this.secretNames.length + 2}` : own;
    if ((this.style === 'streaming' || other) && !this.secretNames.includes(name)) this.secretNames.push(name);
    this.method ??= method;
    const basic = this.style === 'cohort' && method === 'basic' && !other;
    const now = basic ? 'basic authentication ($api_key and $api_secret)' : this.written(name);
    this.notes.push(`The literal credential in ${where} was not kept: it is now ${now}.`);
    return this.written(name);
  }

  written(name: string): string {
    return this.style === 'cohort' ? `$${name}` : `\${parameters.${name}}`;
  }
}

function authorization(replacer: Replacer, value: string): string {
  const m = AUTHORIZATION.exec(value.trim());
  const scheme = m?.[1] ?? '';
  if (/^bearer$/i.test(scheme)) return `${scheme} ${replacer.variable('bearer', 'bearer_token', 'Authorization')}`;
  if (/^basic$/i.test(scheme)) {
    if (replacer.style === 'cohort') return `${scheme} ${replacer.variable('basic', 'api_key', 'Authorization')}`;
    return `${scheme} ${replacer.variable('basic', 'basic_credentials', 'Authorization (base64 of user:password)')}`;
  }
  const key = replacer.variable('header', 'api_key', 'Authorization');
  return m ? `${scheme} ${key}` : key;
}

/** The request with every literal credential replaced by its variable; `-u` is dropped (basic auth). */
export function replaceCredentials(request: CurlRequest, style: VariableStyle): CredentialsReplaced {
  const replacer = new Replacer(style);
  let user = request.user;
  const headers = request.headers.map(([key, value]): [string, string] => {
    if (!isLiteral(value)) return [key, value];
    if (key.toLowerCase() === 'authorization') return [key, authorization(replacer, value)];
    if (KEY_HEADER.test(key)) return [key, replacer.variable('header', 'api_key', `the ${key} header`)];
    return [key, value];
  });
  if (user !== undefined && isLiteral(user)) {
    if (style === 'cohort' && replacer.method !== undefined && replacer.method !== 'basic')
      replacer.notes.push(
        `The -u credential was dropped: the manifest has one authentication method (${replacer.method}).`,
      );
    else if (style === 'cohort') replacer.variable('basic', 'api_key', '-u');
    else headers.push(['Authorization', `Basic ${replacer.variable('basic', 'basic_credentials', '-u')}`]);
    user = undefined;
  }
  const url = request.url.replace(KEY_QUERY, (whole, sep: string, name: string, value: string) =>
    isLiteral(value) ? `${sep}${name}=${replacer.variable('header', 'api_key', `the URL's ${name} parameter`)}` : whole,
  );
  const replaced = { ...request, url, headers, user };
  return { request: replaced, method: replacer.method, secretNames: replacer.secretNames, notes: replacer.notes };
}
