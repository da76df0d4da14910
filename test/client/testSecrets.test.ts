import * as assert from 'assert';
import { TestSecrets, type NameStore, type SecretStore } from '../../client/src/testEndpoint/testSecrets';

/** SecretStorage as VS Code keeps it: a map of keys to values, here in memory. */
class MemorySecrets implements SecretStore {
  readonly map = new Map<string, string>();
  get(key: string): Thenable<string | undefined> {
    return Promise.resolve(this.map.get(key));
  }
  store(key: string, value: string): Thenable<void> {
    this.map.set(key, value);
    return Promise.resolve();
  }
  delete(key: string): Thenable<void> {
    this.map.delete(key);
    return Promise.resolve();
  }
}

/** globalState (a Memento): undefined removes the key. */
class MemoryState implements NameStore {
  readonly map = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.map.get(key) as T | undefined;
  }
  update(key: string, value: unknown): Thenable<void> {
    if (value === undefined) this.map.delete(key);
    else this.map.set(key, value);
    return Promise.resolve();
  }
}

function stores(): { secrets: Map<string, string>; state: Map<string, unknown>; testSecrets: TestSecrets } {
  const secrets = new MemorySecrets();
  const state = new MemoryState();
  return { secrets: secrets.map, state: state.map, testSecrets: new TestSecrets(secrets, state) };
}

const MANIFEST = 'file:///work/acme.amplitude.json';
const OTHER = 'file:///work/other.amplitude.json';

describe('Clear Test Values: secrets of fields since removed from the manifest are forgotten too', () => {
  it('a secret stored for a field the manifest no longer has is deleted; another manifest keeps its own', async () => {
    const { secrets, state, testSecrets } = stores();
    await testSecrets.store(MANIFEST, 'api_key', 'sk-live-1');
    await testSecrets.store(MANIFEST, 'old_token', 'tok-2');
    await testSecrets.store(OTHER, 'api_key', 'sk-other');
    // The manifest now has only api_key: old_token was removed from it.
    await testSecrets.clear(MANIFEST, ['api_key']);
    assert.strictEqual(await testSecrets.get(MANIFEST, 'old_token'), undefined);
    assert.strictEqual(await testSecrets.get(MANIFEST, 'api_key'), undefined);
    assert.strictEqual(await testSecrets.get(OTHER, 'api_key'), 'sk-other');
    assert.deepStrictEqual([...secrets.values()], ['sk-other']);
    assert.deepStrictEqual(testSecrets.storedNames(MANIFEST), []);
    // The index holds names, never a value.
    assert.ok(![...state.values()].some((names) => JSON.stringify(names).includes('sk-')));
  });

  it('a secret found by its field (stored before the index existed) joins the index when used', async () => {
    const { secrets, testSecrets } = stores();
    secrets.set(`amplitude.test:${MANIFEST}:legacy_key`, 'from-0.1');
    assert.strictEqual(await testSecrets.get(MANIFEST, 'legacy_key'), 'from-0.1');
    await testSecrets.clear(MANIFEST, []);
    assert.strictEqual(secrets.size, 0);
  });

  it("an index that is not a list of names (edited, another version): the manifest's names cleared", async () => {
    const { state, secrets, testSecrets } = stores();
    await testSecrets.store(MANIFEST, 'api_key', 'sk');
    state.set(`amplitude.testSecretNames:${MANIFEST}`, { not: 'a list' });
    await testSecrets.clear(MANIFEST, ['api_key']);
    assert.strictEqual(secrets.size, 0);
  });
});
