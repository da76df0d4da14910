/**
 * A render thread (built as dist/render-thread.js): for each replay, renders the events the main thread
 * allows, in order, with the thread's own FreeMarker worker, and posts them back in batches. See
 * renderThread.ts for the main thread's side.
 */
import * as os from 'os';
import { parentPort, workerData, type MessagePort } from 'worker_threads';
import { FreemarkerWorker } from '../../freemarker/engine';
import type { PartnerLimits } from '../../manifest/limits';
import { checkedRender, eventAt, templateRenderer, type RenderedEvent } from './replayRenders';
import type { FromRenderThread, RenderThreadEngine, ReplayPlan, ToRenderThread } from './renderThread';

/** Renders asked of the engine at once, at most: they go to the JVM as one batch. */
const BURST = 64;
/** Rendered bodies waiting to be sent, at most (bodies of megabytes must not pile up by the hundred). */
const AHEAD_BYTES = 32 * 1024 * 1024;

/** One replay on this thread: renders in bursts as far as the main thread allows. */
class Replay {
  private allowed: number;
  private next = 0;
  private ended = false;
  /** Bodies posted and not yet taken by the main thread: their indexes and sizes, oldest first. */
  private readonly unsent: { index: number; bytes: number }[] = [];
  private unsentBytes = 0;
  private pumping = false;
  /** Bytes per body so far: a burst is sized so that it stays within a quarter of the budget. */
  private averageBytes = 0;
  private rendered = 0;
  private readonly render: ReturnType<typeof templateRenderer>;
  private readonly limits: PartnerLimits;

  constructor(
    private readonly id: number,
    private readonly plan: ReplayPlan,
    worker: FreemarkerWorker,
    private readonly send: (message: FromRenderThread) => void,
  ) {
    this.allowed = plan.ahead;
    this.render = templateRenderer(worker, plan.body, plan.streaming, plan.label);
    this.limits = plan.streaming.limits;
  }

  allow(upTo: number, consumed: number): void {
    this.allowed = Math.max(this.allowed, upTo);
    while (this.unsent.length > 0 && this.unsent[0].index < consumed)
      this.unsentBytes -= (this.unsent.shift() as { bytes: number }).bytes;
    void this.pump();
  }

  private posted(renders: RenderedEvent[]): void {
    for (const { index, render } of renders) {
      const bytes = render.ok ? render.output.length * 2 : 0;
      this.unsent.push({ index, bytes });
      this.unsentBytes += bytes;
      this.averageBytes += (bytes - this.averageBytes) / ++this.rendered;
    }
    this.send({ replay: this.id, renders });
  }

  private burstSize(): number {
    if (this.rendered === 0) return 4; // sizes unknown yet
    return Math.max(1, Math.min(BURST, Math.floor(AHEAD_BYTES / 4 / Math.max(this.averageBytes, 1))));
  }

  end(): void {
    this.ended = true;
  }

  private async renderAt(index: number): Promise<RenderedEvent> {
    const event = eventAt(this.plan.source, index);
    return { index, render: checkedRender(this.limits, event, await this.render(event, this.plan.values)) };
  }

  /** Renders burst after burst while the main thread allows it and the bodies waiting fit the budget. */
  async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (!this.ended && this.next < Math.min(this.allowed, this.plan.count) && this.unsentBytes < AHEAD_BYTES) {
        const end = Math.min(this.allowed, this.plan.count, this.next + this.burstSize());
        const burst: Promise<RenderedEvent>[] = [];
        for (; this.next < end; this.next++) burst.push(this.renderAt(this.next));
        const renders = await Promise.all(burst);
        if (!this.ended) this.posted(renders);
      }
    } catch (error) {
      if (!this.ended) this.send({ replay: this.id, failed: error instanceof Error ? error.message : String(error) });
    } finally {
      this.pumping = false;
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
      void replay.pump();
    } else if ('end' in message) {
      replays.get(message.end)?.end();
      replays.delete(message.end);
    } else {
      replays.get(message.replay)?.allow(message.allow, message.consumed);
    }
  });
}

if (parentPort) serve(parentPort, workerData as RenderThreadEngine);
