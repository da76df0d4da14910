/** Where secrets are kept: VS Code's SecretStorage has this shape. */
export interface SecretStore {
  get(key: string): Thenable<string | undefined>;
  store(key: string, value: string): Thenable<void>;
  delete(key: string): Thenable<void>;
}

/** Where the names are kept: VS Code's globalState (a Memento) has this shape. */
export interface NameStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

/**
 * Test secrets per manifest, with an index of the NAMES stored for each (never a value): SecretStorage
 * cannot list its keys, so without the index Clear Test Values would forget only the fields the manifest
 * still has, and the secret of a field since removed would stay for ever.
 */
export class TestSecrets {
  constructor(
    private readonly secrets: SecretStore,
    private readonly names: NameStore,
  ) {}

  private secretKey(manifest: string, name: string): string {
    return `amplitude.test:${manifest}:${name}`;
  }

  private indexKey(manifest: string): string {
    return `amplitude.testSecretNames:${manifest}`;
  }

  /** The names of the secrets stored for a manifest. */
  storedNames(manifest: string): string[] {
    const names = this.names.get<unknown>(this.indexKey(manifest));
    return Array.isArray(names) ? names.filter((n): n is string => typeof n === 'string') : [];
  }

  private async remember(manifest: string, name: string): Promise<void> {
    const names = this.storedNames(manifest);
    if (!names.includes(name)) await this.names.update(this.indexKey(manifest), [...names, name]);
  }

  async get(manifest: string, name: string): Promise<string | undefined> {
    const value = await this.secrets.get(this.secretKey(manifest, name));
    // A secret stored before the index existed joins it when it is next used.
    if (value !== undefined) await this.remember(manifest, name);
    return value;
  }

  async store(manifest: string, name: string, value: string): Promise<void> {
    await this.remember(manifest, name);
    await this.secrets.store(this.secretKey(manifest, name), value);
  }

  /** Forgets every secret of the manifest: those of `fields` (its fields now) and every one indexed. */
  async clear(manifest: string, fields: string[]): Promise<void> {
    for (const name of new Set([...fields, ...this.storedNames(manifest)])) {
      await this.secrets.delete(this.secretKey(manifest, name));
    }
    await this.names.update(this.indexKey(manifest), undefined);
  }
}
