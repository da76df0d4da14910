/**
 * A render thread (built as dist/render-thread.js): for each replay, renders the events the main thread
 * allows, in order, with the thread's own FreeMarker worker, and posts them back in batches. See
 * renderThread.ts for the main thread's side.
 */
import * as os from 'os';
import { parentPort, workerData, type MessagePort } from 'worker_threads';
import { FreemarkerWorker } from '../freemarker/engine';
import { limitsOf } from '../manifest/limits';
import { checkedRender, eventAt, templateRenderer, type RenderedEvent } from './replayRenders';
import type { FromRenderThread, RenderThreadEngine, ReplayPlan, ToRenderThread } from './renderThread';

/** Renders asked of the engine at once: they go to the JVM as one batch. */
const BURST = 64;

/** One replay on this thread: renders in bursts as far as the main thread allows. */
class Replay {
  private allowed: number;
  private next = 0;
  private ended = false;
  // Bursts finish in the order they started (the JVM answers in order); posting is chained to keep it so.
  private posted = Promise.resolve();
  private readonly render: ReturnType<typeof templateRenderer>;
  private readonly limits: ReturnType<typeof limitsOf>;

  constructor(
    private readonly id: number,
    private readonly plan: ReplayPlan,
    worker: FreemarkerWorker,
    private readonly send: (message: FromRenderThread) => void,
  ) {
    this.allowed = plan.ahead;
    this.render = templateRenderer(worker, plan.body, plan.manifest, plan.label);
    this.limits = limitsOf(plan.manifest);
  }

  allow(upTo: number): void {
    this.allowed = Math.max(this.allowed, upTo);
    this.pump();
  }

  end(): void {
    this.ended = true;
  }

  private async renderAt(index: number): Promise<RenderedEvent> {
    const event = eventAt(this.plan.source, index);
    return { index, render: checkedRender(this.limits, event, await this.render(event, this.plan.values)) };
  }

  pump(): void {
    while (!this.ended && this.next < Math.min(this.allowed, this.plan.count)) {
      const end = Math.min(this.allowed, this.plan.count, this.next + BURST);
      const burst: Promise<RenderedEvent>[] = [];
      for (; this.next < end; this.next++) burst.push(this.renderAt(this.next));
      this.posted = this.posted.then(async () => {
        const renders = await Promise.all(burst);
        if (!this.ended) this.send({ replay: this.id, renders });
      });
      this.posted.catch((error: unknown) => {
        if (!this.ended) this.send({ replay: this.id, failed: error instanceof Error ? error.message : String(error) });
      });
    }
  }
}

/**
 * Rendering runs ahead of the sends, so it can wait: this thread, and the JVM it starts (which inherits it),
 * yield the CPU to the thread that sends and to the partner's API. On Linux this sets this thread only.
 */
function yieldToSending(): void {
  try {
    os.setPriority(os.constants.priority.PRIORITY_BELOW_NORMAL);
  } catch {
    // not allowed here: rendering competes on equal terms, only slower
  }
}

function serve(port: MessagePort, engine: RenderThreadEngine): void {
  yieldToSending();
  const worker = new FreemarkerWorker(engine.engine, engine.worker);
  const replays = new Map<number, Replay>();
  const send = (message: FromRenderThread) => port.postMessage(message);
  port.on('message', (message: ToRenderThread) => {
    if ('stop' in message) {
      for (const replay of replays.values()) replay.end();
      worker.dispose();
      port.close();
    } else if ('start' in message) {
      const replay = new Replay(message.start, message.plan, worker, send);
      replays.set(message.start, replay);
      replay.pump();
    } else if ('end' in message) {
      replays.get(message.end)?.end();
      replays.delete(message.end);
    } else {
      replays.get(message.replay)?.allow(message.allow);
    }
  });
}

if (parentPort) serve(parentPort, workerData as RenderThreadEngine);
