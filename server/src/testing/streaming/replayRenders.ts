import type { FreemarkerWorker } from '../../freemarker/engine';
import { renderTemplateFor, type BodyTemplate } from '../../freemarker/renderBody';
import { SAMPLE_EVENTS } from '../../freemarker/sampleEvents';
import { limitBreaks, type PartnerLimits } from '../../manifest/limits';
import type { StreamingModel } from '../../manifest/streaming';
import type { BodyRenderer, RenderedBody } from '../runner';

/** Where a replay's events come from, in a form a render thread can rebuild: generated, or a list cycled. */
export type EventSource = { kind: 'generated' } | { kind: 'list'; events: readonly Record<string, unknown>[] };

/**
 * One event shaped like the Braze Currents events Amplitude receives ("Amplitude for Currents",
 * https://www.braze.com/docs/partners/amplitude_for_currents/), with its own ids.
 */
export function generatedEvent(index: number): Record<string, unknown> {
  const sample = SAMPLE_EVENTS[index % SAMPLE_EVENTS.length].event;
  const user = sample.user_id === undefined ? {} : { user_id: `user-${String(index % 5000).padStart(6, '0')}` };
  return {
    ...sample,
    ...user,
    event_id: index + 1,
    $insert_id: `replay-${index}`,
    uuid: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
  };
}

/** The source's event number `index` (a list starts again from its first event). */
export function eventAt(source: EventSource, index: number): Record<string, unknown> {
  return source.kind === 'generated' ? generatedEvent(index) : source.events[index % source.events.length];
}

/** An event's render: the body and the partner limits it breaks, or why it did not render. */
export type EventRender = { ok: true; output: string; limitBreaks: string[] } | Extract<RenderedBody, { ok: false }>;

export interface RenderedEvent {
  index: number;
  render: EventRender;
}

/** The events of a replay rendered ahead of its sends, handed out in event order. */
export interface ReplayRenders {
  /** The next event's render; undefined once every event was handed out (or the replay was stopped). */
  next(): Promise<RenderedEvent | undefined>;
  /** The event itself, for a problem's report. */
  eventAt(index: number): Record<string, unknown>;
  close(): Promise<void>;
}

/** A rendered body checked against the partner's declared limits. */
export function checkedRender(
  limits: PartnerLimits,
  event: Record<string, unknown>,
  rendered: RenderedBody,
): EventRender {
  if (!rendered.ok) return rendered;
  const breaks = limitBreaks(limits, event, rendered.output).map((b) => b.message);
  return { ok: true, output: rendered.output, limitBreaks: breaks };
}

export interface InProcessRenders {
  streaming: StreamingModel;
  values: Record<string, string>;
  render: BodyRenderer;
  source: EventSource;
  count: number;
  /** Renders asked for ahead of the sends: refilled in one go when half are taken, so they batch. */
  ahead: number;
  signal?: AbortSignal;
}

/** Renders on this thread, through a body renderer (the server's open template, a test's own). */
export function rendersInProcess(options: InProcessRenders): ReplayRenders {
  const limits = options.streaming.limits;
  const queue: Promise<RenderedEvent>[] = [];
  let next = 0;
  const renderAt = async (index: number): Promise<RenderedEvent> => {
    const event = eventAt(options.source, index);
    const rendered = await options.render(event, options.values, 'events');
    return { index, render: checkedRender(limits, event, rendered) };
  };
  const topUp = () => {
    if (queue.length > options.ahead / 2) return;
    while (queue.length < options.ahead && next < options.count && !options.signal?.aborted) {
      const pending = renderAt(next++);
      pending.catch(() => undefined); // awaited in turn; one that throws must not go unhandled meanwhile
      queue.push(pending);
    }
  };
  return {
    next: () => {
      topUp();
      return queue.shift() ?? Promise.resolve(undefined);
    },
    eventAt: (index) => eventAt(options.source, index),
    close: () => Promise.resolve(),
  };
}

/**
 * A body template rendered by a FreeMarker worker, as a body renderer: failures name the template by
 * `label` (a path relative to the working folder in the CLI, the file name in the editor).
 */
export function templateRenderer(
  worker: FreemarkerWorker,
  body: BodyTemplate,
  streaming: StreamingModel,
  label: string,
) {
  return async (event: Record<string, unknown>, parameters: Record<string, string>): Promise<RenderedBody> => {
    const rendered = await renderTemplateFor(worker, body, streaming, event, parameters);
    if (rendered.result.ok) return { ok: true, output: rendered.result.output };
    const { message, line, column } = rendered.result.error;
    return { ok: false, message, file: label, line, column };
  };
}
