import { ownValue } from '../../base/records';
import type { Span } from '../../base/text';
import { DATA_MODEL_ROOTS, INPUT_FIELDS } from '../../ftl/dataModelDocs';
import { FIELD_KIND_WORDS, INPUT_FIELD_KINDS } from '../../ftl/eventModel';
import { builtInName, directiveName, newerThanAmplitude } from '../../ftl/names';
import { AMPLITUDE_FREEMARKER_VERSION } from '../../ftl/builtinVersions';
import type { TemplateManifest } from '../../templates/templateAnalysis';

export interface TemplateHover {
  markdown: string;
  span: Span;
}

function wordAt(text: string, offset: number): Span | undefined {
  let start = offset;
  while (start > 0 && /[\w$]/.test(text[start - 1])) start--;
  let end = offset;
  while (end < text.length && /[\w$]/.test(text[end])) end++;
  return start === end ? undefined : { start, end };
}

function declaredName(
  root: 'parameters' | 'mappedFields',
  word: string,
  manifest: TemplateManifest | undefined,
): string {
  const declared = manifest && (root === 'parameters' ? manifest.parameters : manifest.mappedFields).includes(word);
  const where = declared ? `Declared in ${manifest?.file}.` : 'Not declared in the manifest.';
  return `**${root}.${word}**\n\n${where}\n\n${DATA_MODEL_ROOTS[root]}`;
}

const notInAmplitude = (what: string, since: string) =>
  `**${what}** needs FreeMarker ${since}: Amplitude renders with ${AMPLITUDE_FREEMARKER_VERSION}, which does not ` +
  'have it (the render fails with a syntax error).';

function builtInHover(word: string, span: Span): TemplateHover | undefined {
  const builtIn = builtInName(word);
  const newer = newerThanAmplitude(word, 'built-in');
  if (newer) return { span, markdown: notInAmplitude(`?${word}`, newer) };
  if (!builtIn) return undefined;
  return { span, markdown: `**?${word}**${builtIn.since ? ` (FreeMarker ${builtIn.since}+)` : ''}\n\n${builtIn.doc}` };
}

function directiveHover(word: string, span: Span): TemplateHover | undefined {
  const directive = directiveName(word);
  const newer = newerThanAmplitude(word, 'directive');
  if (newer) return { span, markdown: notInAmplitude(`<#${word}>`, newer) };
  return directive ? { span, markdown: `**<#${word}>**\n\n${directive.doc}` } : undefined;
}

/** What the field holds, from the one event model the evidence events are built from (ftl/eventModel.ts). */
function kindOf(field: string): string {
  const kind = ownValue(INPUT_FIELD_KINDS, field);
  return kind ? `\n\nHolds ${FIELD_KIND_WORDS[kind]}.` : '';
}

/** Hover in a body template: event fields, declared names, built-ins (with their version), directives, roots. */
export function hoverTemplate(
  text: string,
  offset: number,
  manifest: TemplateManifest | undefined,
): TemplateHover | undefined {
  const span = wordAt(text, offset);
  if (!span) return undefined;
  const word = text.slice(span.start, span.end);
  const before = text.slice(Math.max(0, span.start - 20), span.start);
  const field = ownValue(INPUT_FIELDS, word);
  if (/\binput\.$/.test(before) && field) return { span, markdown: `**input.${word}**\n\n${field}${kindOf(word)}` };
  const owner = /\b(parameters|mappedFields)\.$/.exec(before);
  if (owner) return { span, markdown: declaredName(owner[1] as 'parameters' | 'mappedFields', word, manifest) };
  if (before.endsWith('?')) return builtInHover(word, span);
  if (/[<[]\/?#$/.test(before)) return directiveHover(word, span);
  const root = ownValue(DATA_MODEL_ROOTS, word);
  return root ? { span, markdown: `**${word}**\n\n${root}` } : undefined;
}
