import { CompletionItemKind, MarkupKind, type CompletionItem } from 'vscode-languageserver-types';
import { DATA_MODEL_ROOTS, INPUT_FIELDS } from '../../ftl/dataModelDocs';
import { builtInNames, directiveNames } from '../../ftl/names';
import type { TemplateManifest } from '../../templates/templateAnalysis';

export interface TemplateCompletion {
  items: CompletionItem[];
  /** Where the word being completed starts (the items replace from there to the cursor). */
  start: number;
}

function item(label: string, kind: CompletionItemKind, detail: string, doc?: string): CompletionItem {
  return { label, kind, detail, documentation: doc ? { kind: MarkupKind.Markdown, value: doc } : undefined };
}

type Provider = (
  before: string,
  offset: number,
  manifest: TemplateManifest | undefined,
) => TemplateCompletion | undefined;

const inputFields: Provider = (before, offset) => {
  const m = /\binput\.([\w$]*)$/.exec(before);
  if (!m) return undefined;
  const items = Object.entries(INPUT_FIELDS).map(([name, doc]) =>
    item(name, CompletionItemKind.Field, 'input (the Amplitude event)', doc),
  );
  return { start: offset - m[1].length, items };
};

const declaredNames: Provider = (before, offset, manifest) => {
  const m = /\b(parameters|mappedFields)\.(\w*)$/.exec(before);
  if (!m) return undefined;
  const root = m[1] as 'parameters' | 'mappedFields';
  const names = manifest?.[root] ?? [];
  const items = names.map((n) =>
    item(n, CompletionItemKind.Variable, `${root} · declared in ${manifest?.file}`, DATA_MODEL_ROOTS[root]),
  );
  return { start: offset - m[2].length, items };
};

/** Every built-in of FreeMarker 2.3.31 (generated from the engine: ftl/builtins.ts). */
const builtIns: Provider = (before, offset) => {
  const m = /\?([a-z_]*)$/.exec(before);
  if (!m) return undefined;
  const items = builtInNames().map((b) =>
    item(b.name, CompletionItemKind.Function, b.since ? `built-in, FreeMarker ${b.since}+` : 'built-in', b.doc),
  );
  return { start: offset - m[1].length, items };
};

/** Every directive of 2.3.31, after `<#`, `</#` or (square-bracket syntax) `[#`, `[/#`. */
const directives: Provider = (before, offset) => {
  const m = /[<[]\/?#([a-z]*)$/.exec(before);
  if (!m) return undefined;
  return {
    start: offset - m[1].length,
    items: directiveNames().map((d) => item(d.name, CompletionItemKind.Keyword, 'directive', d.doc)),
  };
};

const roots: Provider = (before, offset) => {
  const m = /(?:\$\{|<#\w+\s[^>]*?|[(,\s])([A-Za-z]*)$/.exec(before);
  if (!m || !/\$\{[^}]*$|<#[^>]*$/.test(before)) return undefined;
  const items = Object.entries(DATA_MODEL_ROOTS).map(([name, doc]) =>
    item(name, CompletionItemKind.Module, 'Amplitude data model', doc),
  );
  return { start: offset - m[1].length, items };
};

const PROVIDERS: readonly Provider[] = [inputFields, declaredNames, builtIns, directives, roots];

/** Completion in a body template: the data model, the names the manifest declares, built-ins, directives. */
export function completeTemplate(
  text: string,
  offset: number,
  manifest: TemplateManifest | undefined,
): TemplateCompletion | undefined {
  const before = text.slice(Math.max(0, offset - 200), offset);
  for (const provide of PROVIDERS) {
    const found = provide(before, offset, manifest);
    if (found) return found;
  }
  return undefined;
}
