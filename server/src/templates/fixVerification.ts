import { isDeepStrictEqual } from 'util';
import type { Edit } from 'jsonc-parser';
import type { Fix, ManifestDiagnostic } from '../base/diagnostic';
import type { FreemarkerWorker } from '../freemarker/engine';
import { checkJson } from '../freemarker/renderBody';
import { renderEvidence, verdictOf, withEngineVerdict } from './engineChecks';
import type { StreamingModel } from '../manifest/streaming';
import type { StreamingRole } from '../manifest/usage';

/** What one sample event rendered to: its JSON, or how it failed (the engine's error, or the output). */
type Outcome = { ok: true; json: unknown } | { ok: false; failure: string };

export interface FixContext {
  engine: FreemarkerWorker;
  name: string;
  streaming: StreamingModel | undefined;
  role: StreamingRole;
  /** The checks that need no engine, for the fixed text. */
  staticDiagnostics: (text: string) => ManifestDiagnostic[];
}

export function applyEdits(text: string, edits: Edit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.offset - a.offset))
    out = out.slice(0, e.offset) + e.content + out.slice(e.offset + e.length);
  return out;
}

/** Set when a text's verdicts are dropped: its renders still queued do not run. */
interface Abandon {
  abandoned: boolean;
}

/** Every evidence event's outcome, and what the value-by-value check found in the traced renders. */
interface Rendered {
  outcomes: Outcome[];
  /** The text checks' findings with this render's evidence on them, and the evidence's own (withEngineVerdict). */
  found: (staticFound: ManifestDiagnostic[]) => ManifestDiagnostic[];
}

async function outcomes(context: FixContext, text: string, abandon: Abandon): Promise<Rendered> {
  if (abandon.abandoned) throw new Error('the template changed since');
  const runs = await renderEvidence(context.engine, context.name, text, context.streaming, context.role);
  const out = runs.map(({ result }): Outcome => {
    if (!result.ok) return { ok: false, failure: `${result.error.line}:${result.error.message}` };
    if (checkJson(result.output)) return { ok: false, failure: result.output };
    return { ok: true, json: JSON.parse(result.output) };
  });
  const verdict = verdictOf(text, runs, context.streaming);
  return { outcomes: out, found: (staticFound) => withEngineVerdict(staticFound, verdict) };
}

/** `"1,299"` and `"1299"` are the same value printed two ways: what a ?c fix may change, and only that. */
function ungrouped(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/(\d),(?=\d{3}(?!\d))/g, '$1');
  if (Array.isArray(value)) return value.map(ungrouped);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, ungrouped(v)]));
  return value;
}

function codeCounts(found: ManifestDiagnostic[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const d of found) counts.set(d.code, (counts.get(d.code) ?? 0) + 1);
  return counts;
}

/**
 * A fix holds when, for every sample event, the fixed template renders JSON wherever the original did, with the
 * same values (a ?c fix may only drop digit grouping: anything else, a double escape for one, is a changed value),
 * and where the original failed it now renders JSON or fails the same way (another fault of the template); when
 * at least one sample renders (evidence, not a vacuous pass); and when the checks find one `code` fewer and
 * nothing new.
 */
function holds(code: string, before: Outcome[], after: Outcome[], found: [ManifestDiagnostic[], ManifestDiagnostic[]]) {
  const same = (a: unknown, b: unknown) =>
    code === 'unformatted-number' || code === 'unescaped-string'
      ? isDeepStrictEqual(ungrouped(a), ungrouped(b))
      : isDeepStrictEqual(a, b);
  const rendered = before.every((b, i) => {
    const a = after[i];
    if (b.ok) return a.ok && same(a.json, b.json);
    return a.ok || a.failure === b.failure;
  });
  const evidence = after.some((a) => a.ok);
  const [was, is] = found.map(codeCounts);
  const fewer = (is.get(code) ?? 0) < (was.get(code) ?? 0);
  const nothingNew = [...is].every(([c, n]) => c === code || n <= (was.get(c) ?? 0));
  return rendered && evidence && fewer && nothingNew;
}

/** A fix's replacement text, to tell a ?c fix from a ?json_string one. */
const replacement = (fix: Fix) =>
  fix
    .edits()
    .map((e) => e.content)
    .join('');

/**
 * The titles of the fixes of `diagnostic` that the engine shows right (see holds): each one applied and rendered
 * for every sample event. When both ?c and ?json_string hold, the value is a number (or boolean) each time: ?c is
 * kept.
 */
async function verifiedTitles(
  context: FixContext,
  text: string,
  diagnostic: ManifestDiagnostic,
  baseline: Rendered,
  abandon: Abandon,
): Promise<Set<string>> {
  const found = baseline.found(context.staticDiagnostics(text));
  const kept: Fix[] = [];
  for (const fix of diagnostic.fixes ?? []) {
    const fixed = applyEdits(text, fix.edits());
    const after = await outcomes(context, fixed, abandon);
    const foundAfter = after.found(context.staticDiagnostics(fixed));
    if (holds(diagnostic.code, baseline.outcomes, after.outcomes, [found, foundAfter])) kept.push(fix);
  }
  const numeric = kept.some((f) => /\?c$/.test(replacement(f)));
  return new Set((numeric ? kept.filter((f) => !/\?json_string$/.test(replacement(f))) : kept).map((f) => f.title));
}

/** How many template texts keep their verdicts: the one being edited and a few before it (undo). */
const KEPT_TEXTS = 4;

/**
 * The engine's verdicts on quick fixes, kept per template text: a code action request comes with every move of
 * the cursor, and the renders behind a verdict run once. A verdict still running when asked is awaited up to
 * the caller's budget and then keeps running for the next request.
 */
export class FixVerifier {
  private readonly texts = new Map<
    string,
    { baseline: Promise<Rendered>; fixes: Map<string, Promise<Set<string>>>; abandon: Abandon }
  >();

  private dropOldTexts(): void {
    for (const [key, old] of this.texts) {
      if (this.texts.size <= KEPT_TEXTS) return;
      old.abandon.abandoned = true;
      this.texts.delete(key);
    }
  }

  /** The fixes of `diagnostic` that hold, or undefined when the verdict is not in within `budgetMs`. */
  async verified(context: FixContext, text: string, diagnostic: ManifestDiagnostic, budgetMs: number) {
    const textKey = `${context.name}\n${text}`;
    let known = this.texts.get(textKey);
    if (!known) {
      const abandon = { abandoned: false };
      known = { baseline: outcomes(context, text, abandon), fixes: new Map(), abandon };
      this.texts.set(textKey, known);
      this.dropOldTexts();
    }
    const key = `${diagnostic.code}:${diagnostic.start}:${diagnostic.end}`;
    let verdict = known.fixes.get(key);
    if (!verdict) {
      const baseline = known.baseline;
      const abandon = known.abandon;
      verdict = baseline.then((b) => verifiedTitles(context, text, diagnostic, b, abandon));
      verdict.catch(() => known?.fixes.delete(key)); // an engine that failed is asked again next time
      known.fixes.set(key, verdict);
    }
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), budgetMs)));
    try {
      const titles = await Promise.race([verdict, late]);
      return titles && (diagnostic.fixes ?? []).filter((f) => titles.has(f.title));
    } catch {
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }
}
