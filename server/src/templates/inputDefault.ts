import type { Fix } from '../base/diagnostic';
import { scanTemplate, type TemplateScan } from '../ftl/interpolations';
import type { DataModelReference } from '../ftl/references';

/** The rest of a path after its first name: `.name`, `["key with ] inside"]`. */
const PATH_REST = /^(?:\.[A-Za-z_$][\w$]*|\[\s*"(?:[^"\\]|\\.)*"\s*\])*/;
/** What may follow the path inside `${...}` for a fix to be safe: built-ins only. */
const BUILT_INS = /^\s*((?:\?[a-z_]+(?:\([^()]*\))?)*)\s*$/;
/** Built-ins that take a number: their default is 0, since `""?c` is a render error. */
const NUMBER_BUILT_INS = /^\?(?:c|int|long|round|floor|ceiling|abs)\b/;

/** The last text's scan: every unguarded field of one check asks about the same text. */
let lastScan: { text: string; scan: TemplateScan } | undefined;
function scanOf(text: string): TemplateScan {
  if (lastScan?.text !== text) lastScan = { text, scan: scanTemplate(text) };
  return lastScan.scan;
}

function defaultFor(builtIns: string): string {
  return NUMBER_BUILT_INS.test(builtIns) ? '0' : '""';
}

/** Where `${` opens the interpolation holding `offset`, or -1. */
function interpolationStart(text: string, offset: number): number {
  const open = text.lastIndexOf('${', offset);
  return open >= 0 && text.lastIndexOf('}', offset) < open ? open : -1;
}

/**
 * The default for an unguarded `input` field, written so FreeMarker's precedence applies it to the whole value:
 * `!` binds tighter than a following built-in (`x!""?c` formats only the default), and `a.b!""` does not cover
 * a missing `a`, so a path gets parentheses (`(a.b)!""`) and a following built-in wraps it (`(x!0)?c`).
 * Candidates only: the engine decides which one is offered (templates/fixVerification.ts).
 */
export function inputDefaultFixes(text: string, ref: DataModelReference): Fix[] | undefined {
  const rootStart = text.lastIndexOf(ref.root, ref.start);
  const open = interpolationStart(text, rootStart);
  if (rootStart < 0 || open < 0 || text.slice(open + 2, rootStart).trim() !== '') return undefined;
  const firstEnd = ref.end + (/^"\s*\]/.exec(text.slice(ref.end))?.[0].length ?? 0);
  const pathEnd = firstEnd + (PATH_REST.exec(text.slice(firstEnd))?.[0].length ?? 0);
  const close = text.indexOf('}', pathEnd);
  const following = close < 0 ? null : BUILT_INS.exec(text.slice(pathEnd, close));
  if (!following) return undefined;
  const path = text.slice(rootStart, pathEnd);
  const guardedPath = pathEnd > firstEnd ? `(${path})` : path;
  const builtIns = following[1];
  const inString = scanOf(text).interpolations.find((i) => i.start === open)?.inJsonString ?? true;
  // Outside a JSON string 0 may be the default that keeps the JSON valid; inside one, "" is.
  const defaults = builtIns ? [defaultFor(builtIns)] : ['""', ...(inString ? [] : ['0'])];
  return defaults.map((value) => {
    const content = builtIns ? `(${guardedPath}!${value})` : `${guardedPath}!${value}`;
    return {
      title: `Default to ${value} when input.${ref.name} is missing: ${content}${builtIns}`,
      edits: () => [{ offset: rootStart, length: path.length, content }],
    };
  });
}
