import * as fs from 'fs';
import type { ManifestAnalysis } from '../analysis';
import type { ManifestDiagnostic } from '../base/diagnostic';
import type { FileScope } from '../base/files';
import { isObject } from '../base/value';
import type { EngineProblem, FreemarkerWorker } from '../freemarker/engine';
import type { DescriptionLoad, DescriptionSource } from '../contract';

/**
 * The editor's API descriptions: each loaded once per version on disk (absolute path + mtime + size) and shared
 * by every manifest that names it. Loading is asynchronous (swagger-parser dereferences), so typing in a manifest
 * never waits for it; the contract layer itself is loaded the first time a manifest names a description.
 */

type Contract = typeof import('../contract');

interface Entry {
  stamp: string;
  load: Promise<DescriptionLoad>;
  /** The load has finished: a check against it takes no time. */
  settled: boolean;
}

export class ApiDescriptions {
  private readonly cache = new Map<string, Entry>();
  private contract: Promise<Contract> | undefined;
  private loaded = false;

  /** The manifest names an API description (its own `apiDescription` key). */
  static named(analysis: ManifestAnalysis): boolean {
    const value = analysis.doc.value;
    return isObject(value) && typeof value.apiDescription === 'string';
  }

  private module(): Promise<Contract> {
    return (this.contract ??= import('../contract/index.js').then((m) => ((this.loaded = true), m)));
  }

  private stampOf(file: string): string | undefined {
    try {
      const stat = fs.statSync(file);
      return `${stat.mtimeMs}:${stat.size}`;
    } catch {
      return undefined;
    }
  }

  private entry(contract: Contract, source: DescriptionSource): Entry {
    if ('refused' in source) return { stamp: '', load: contract.loadFromSource(source), settled: true };
    const stamp = this.stampOf(source.file) ?? 'missing';
    const cached = this.cache.get(source.file);
    if (cached && cached.stamp === stamp) return cached;
    const entry: Entry = { stamp, load: contract.loadFromSource(source), settled: false };
    void entry.load.then(() => (entry.settled = true));
    this.cache.set(source.file, entry);
    return entry;
  }

  /**
   * The manifest's contract findings. `early` is told when the description is still loading, so the manifest's
   * own findings are published at once and these follow when ready.
   */
  async check(
    analysis: ManifestAnalysis,
    scope: FileScope,
    early: () => void,
    engine?: () => FreemarkerWorker | EngineProblem,
  ): Promise<ManifestDiagnostic[]> {
    if (!this.loaded) early();
    const contract = await this.module();
    const source = contract.descriptionSource(analysis.doc.value, scope);
    if (!source) return [];
    const entry = this.entry(contract, source);
    if (!entry.settled) early();
    const load = await entry.load;
    return contract.contractDiagnostics(analysis.doc, analysis.model, load, { scope, engine });
  }

  /** Files changed on disk: a description, or a file one of its `$ref`s names, may be among them. */
  filesChanged(files: string[]): void {
    if (files.some((f) => /\.(ya?ml|json)$/i.test(f))) this.cache.clear();
  }
}
