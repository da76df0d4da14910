import { decodeText, MAX_TEXT_BYTES, type FileAccess, type FileScope } from '../base/files';
import {
  bodyTemplateReference,
  requestKey,
  STREAMING_ROLES,
  type StreamingModel,
  type StreamingRole,
} from '../manifest/streaming';
import type { JSONPath } from 'jsonc-parser';

/** A body template as one version of the manifest has it: its text, or why there is none to compare. */
export type TemplateVersion = { reference: string; text: string } | { reference: string; problem: string };

/** The body templates of one version, per streaming role (events, identify) it names one for. */
export type TemplateVersions = Partial<Record<StreamingRole, TemplateVersion>>;

const TITLES: Record<StreamingRole, string> = { events: 'event body template', identify: 'identify body template' };

/** A change found in a template, in classify's terms (this file is below classify). */
export interface TemplateChange {
  impact: 'breaking' | 'risky' | 'safe';
  path: JSONPath;
  message: string;
}

/** The templates a manifest on disk names, read under the workspace rules (the new side of a diff). */
export function templatesOnDisk(streaming: StreamingModel, scope: FileScope, files: FileAccess): TemplateVersions {
  const out: TemplateVersions = {};
  for (const role of STREAMING_ROLES) {
    const reference = bodyTemplateReference(streaming, role);
    if (!reference) continue;
    const read = files.read(reference, scope, { maxBytes: MAX_TEXT_BYTES });
    out[role] = read.ok ? { reference, text: decodeText(read) } : { reference, problem: read.reason };
  }
  return out;
}

const span = (from: number, to: number) => (from === to ? `line ${from}` : `lines ${from}–${to}`);

/** Which lines differ, briefly: the block between the common first and last lines of both texts. */
export function changedLines(before: string, after: string): string {
  const a = before.split(/\r?\n/);
  const b = after.split(/\r?\n/);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const oldEnd = a.length - tail;
  const newEnd = b.length - tail;
  if (head === oldEnd && head === newEnd) return 'only its line endings changed';
  if (head === newEnd) return `${span(head + 1, oldEnd)} removed, after line ${head}`;
  if (head === oldEnd) return `${span(head + 1, newEnd)} added`;
  const now = span(head + 1, newEnd);
  const was = span(head + 1, oldEnd);
  return now === was ? `${now} changed` : `${now} changed, ${was} before`;
}

function compareRole(
  role: StreamingRole,
  old: TemplateVersion | undefined,
  now: TemplateVersion | undefined,
): TemplateChange | undefined {
  const title = TITLES[role];
  const path = [requestKey(role), 'bodyTemplate'];
  if (!old || !now) return undefined; // A template named on one side only: the request's change says it.
  if ('problem' in now)
    return {
      impact: 'breaking',
      path,
      message: `The ${title} "${now.reference}" ${now.problem}: no event can be built with it now.`,
    };
  if ('problem' in old)
    return {
      impact: 'risky',
      path,
      message:
        `The ${title} "${old.reference}" of the old version ${old.problem}, so its content cannot be ` +
        `compared: check that "${now.reference}" builds what your API expects from every existing setup.`,
    };
  if (old.text === now.text) return undefined;
  const lines = changedLines(old.text, now.text);
  return {
    impact: lines.startsWith('only') ? ('safe' as const) : 'risky',
    path,
    message:
      `The ${title} "${now.reference}" changed (${lines}): every ` +
      `${role === 'events' ? 'forwarded event' : 'identify call'} of existing setups is built by the new one.`,
  };
}

/** The body templates compared by content: a file whose text changed under the same name is a change too. */
export function compareTemplates(before: TemplateVersions, after: TemplateVersions): TemplateChange[] {
  return STREAMING_ROLES.map((role) => compareRole(role, before[role], after[role])).filter(
    (change): change is TemplateChange => change !== undefined,
  );
}
