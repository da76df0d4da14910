import * as path from 'path';
import {
  FreemarkerWorker,
  locateEngine,
  type EngineLocation,
  type WorkerOptions,
} from '../../server/src/freemarker/engine';
import { REPO } from './lspClient';

/** The engine the build made (dist/freemarker): tests that need the real FreeMarker fail plainly without it. */
export function builtEngine(): EngineLocation {
  const location = locateEngine({ workerDir: path.join(REPO, 'dist', 'freemarker') });
  if ('problem' in location) throw new Error(location.problem);
  return location;
}

/** A started worker of the built engine, for a describe's before(); dispose it in after(). */
export async function startedWorker(options?: WorkerOptions): Promise<FreemarkerWorker> {
  const worker = new FreemarkerWorker(builtEngine(), options);
  await worker.start();
  return worker;
}
