import { bodyTemplateReference, requestKey, type StreamingModel, type StreamingRole } from '../manifest/streaming';
import * as path from 'path';
import { FileRefusedError } from '../base/files';
import {
  FreemarkerWorker,
  locateEngine,
  type EngineLocation,
  type EngineProblem,
  type WorkerOptions,
} from '../freemarker/engine';
import { readBodyTemplateFile } from '../freemarker/renderBody';
import { templateRenderer } from '../testing/streaming/replayRenders';
import type { BodyRenderer } from '../testing/runner';
import type { FileScope } from '../base/files';
import { UsageError } from './io';

/** dist/freemarker, next to the bundled CLI. */
export const WORKER_DIR = path.join(__dirname, 'freemarker');

/** The engine the CLI runs (`--jar`, else Debian's, else the bundled one); a usage error when there is none. */
export function engineFor(jar: string | undefined): EngineLocation {
  const location = locateEngine({ jar, workerDir: WORKER_DIR });
  if ('problem' in location) throw new UsageError(location.problem);
  return location;
}

export function workerFor(jar: string | undefined, options: WorkerOptions = {}): FreemarkerWorker {
  return new FreemarkerWorker(engineFor(jar), options);
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
export function cliRenderer(worker: FreemarkerWorker, streaming: StreamingModel, scope: FileScope): BodyRenderer {
  const renderers = new Map<StreamingRole, BodyRenderer>();
  return async (event, parameters, role = 'events') => {
    try {
      let render = renderers.get(role);
      if (!render) {
        const body = readBodyTemplateFile(bodyTemplateReference(streaming, role), scope, requestKey(role));
        render = templateRenderer(worker, body, streaming, path.relative(process.cwd(), body.templatePath));
        renderers.set(role, render);
      }
      return await render(event, parameters);
    } catch (error) {
      if (error instanceof FileRefusedError) return { ok: false, message: error.message };
      throw error;
    }
  };
}
