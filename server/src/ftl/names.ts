/**
 * The built-ins and directives of FreeMarker 2.3.31 with their docs, one list for completion, hover and the
 * checks: the names from the engine (ftl/builtins.ts, generated), the docs from ftl/builtinDocs.ts and the
 * partner-focused notes of ftl/dataModelDocs.ts, the versions from ftl/builtinVersions.ts.
 */
import { ownValue } from '../base/records';
import { BUILTIN_DOCS, DIRECTIVE_DOCS } from './builtinDocs';
import { SUPPORTED_BUILTINS, SUPPORTED_DIRECTIVES } from './builtins';
import { AMPLITUDE_FREEMARKER_VERSION, NEWER_BUILTINS, NEWER_DIRECTIVES, versionAtLeast } from './builtinVersions';
import { BUILTINS, DIRECTIVES } from './dataModelDocs';

export interface FtlName {
  name: string;
  doc: string;
  /** The version that brought it, where newer than 2.3.28 (the oldest engine we run). */
  since?: string;
}

const SUPPORTED_BUILTIN_SET = new Set(SUPPORTED_BUILTINS);
const SUPPORTED_DIRECTIVE_SET = new Set(SUPPORTED_DIRECTIVES);

/** Every built-in of 2.3.31, with its doc. */
export function builtInNames(): FtlName[] {
  return SUPPORTED_BUILTINS.map((name) => builtInName(name) as FtlName);
}

/** Every directive of 2.3.31, with its doc. */
export function directiveNames(): FtlName[] {
  return SUPPORTED_DIRECTIVES.map((name) => directiveName(name) as FtlName);
}

/** A built-in of 2.3.31, or undefined. */
export function builtInName(name: string): FtlName | undefined {
  if (!SUPPORTED_BUILTIN_SET.has(name)) return undefined;
  const doc = ownValue(BUILTINS, name)?.doc ?? ownValue(BUILTIN_DOCS, name) ?? 'A FreeMarker built-in.';
  return { name, doc, since: ownValue(NEWER_BUILTINS, name) };
}

/** A directive of 2.3.31, or undefined. */
export function directiveName(name: string): FtlName | undefined {
  if (!SUPPORTED_DIRECTIVE_SET.has(name)) return undefined;
  return { name, doc: ownValue(DIRECTIVES, name) ?? ownValue(DIRECTIVE_DOCS, name) ?? 'A FreeMarker directive.' };
}

/** The version that has a built-in (or directive) that 2.3.31 does not, when we know one. */
export function newerThanAmplitude(name: string, kind: 'built-in' | 'directive'): string | undefined {
  const since = ownValue(kind === 'built-in' ? NEWER_BUILTINS : NEWER_DIRECTIVES, name);
  return since && !versionAtLeast(AMPLITUDE_FREEMARKER_VERSION, since) ? since : undefined;
}
