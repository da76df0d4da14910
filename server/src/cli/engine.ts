import { requestKey, type StreamingRole } from '../manifest/usage';
import * as path from 'path';
import { FileRefusedError } from '../base/files';
import { FreemarkerWorker, locateEngine, type EngineProblem, type WorkerOptions } from '../freemarker/engine';
import { readBodyTemplateFile, renderTemplateFor, type BodyTemplate } from '../freemarker/renderBody';
import type { BodyRenderer } from '../testing/runner';
import type { FileScope } from '../base/files';
import { UsageError } from './io';

/** dist/freemarker, next to the bundled CLI. */
export const WORKER_DIR = path.join(__dirname, 'freemarker');

export function workerFor(jar: string | undefined, options: WorkerOptions = {}): FreemarkerWorker {
  const location = locateEngine({ jar, workerDir: WORKER_DIR });
  if ('problem' in location) throw new UsageError(location.problem);
  return new FreemarkerWorker(location, options);
}

/** One worker, started only when a template needs it, for every template of a command. */
export class LazyEngine {
  private engine: FreemarkerWorker | EngineProblem | undefined;

  constructor(private readonly jar?: string) {}

  get(): FreemarkerWorker | EngineProblem {
    if (!this.engine) {
      const location = locateEngine({ jar: this.jar, workerDir: WORKER_DIR });
      this.engine = 'problem' in location ? location : new FreemarkerWorker(location);
    }
    return this.engine;
  }

  dispose(): void {
    if (this.engine instanceof FreemarkerWorker) this.engine.dispose();
  }
}

/**
 * The manifest's body template rendered by the CLI's worker (the workspace rules decide what is read). Each
 * template is read once per command: a replay renders it thousands of times.
 */
export function cliRenderer(worker: FreemarkerWorker, manifest: unknown, scope: FileScope): BodyRenderer {
  const templates = new Map<StreamingRole, BodyTemplate>();
  return async (event, parameters, role = 'events') => {
    try {
      let body = templates.get(role);
      if (!body) templates.set(role, (body = readBodyTemplateFile(manifest, scope, requestKey(role))));
      const rendered = await renderTemplateFor(worker, body, manifest, event, parameters);
      if (rendered.result.ok) return { ok: true, output: rendered.result.output, jsonProblem: rendered.jsonProblem };
      const { message, line, column } = rendered.result.error;
      return { ok: false, message, file: path.relative(process.cwd(), rendered.templatePath), line, column };
    } catch (error) {
      if (error instanceof FileRefusedError) return { ok: false, message: error.message };
      throw error;
    }
  };
}
