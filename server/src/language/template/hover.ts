import { ownValue } from '../../base/records';
import type { Span } from '../../base/text';
import { BUILTINS, DATA_MODEL_ROOTS, DIRECTIVES, INPUT_FIELDS } from '../../ftl/dataModelDocs';
import { FIELD_KIND_WORDS, INPUT_FIELD_KINDS } from '../../ftl/eventModel';
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

/** Hover in a body template: event fields, declared names, built-ins (with their version), directives, roots. */
/** What the field holds, from the one event model the evidence events are built from (ftl/eventModel.ts). */
function kindOf(field: string): string {
  const kind = ownValue(INPUT_FIELD_KINDS, field);
  return kind ? `\n\nHolds ${FIELD_KIND_WORDS[kind]}.` : '';
}

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
  const builtIn = ownValue(BUILTINS, word);
  if (before.endsWith('?') && builtIn) {
    return {
      span,
      markdown: `**?${word}**${builtIn.since ? ` (FreeMarker ${builtIn.since}+)` : ''}\n\n${builtIn.doc}`,
    };
  }
  const directive = ownValue(DIRECTIVES, word);
  if (/<\/?#$/.test(before) && directive) return { span, markdown: `**<#${word}>**\n\n${directive}` };
  const root = ownValue(DATA_MODEL_ROOTS, word);
  return root ? { span, markdown: `**${word}**\n\n${root}` } : undefined;
}
