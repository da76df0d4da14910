/**
 * What FreeMarker 2.3.31, as Amplitude runs it, does with syntax written for another configuration or a newer
 * version: checks that know, each from what the engine prints (test/templates/squareSyntax.engine.test.ts).
 */
import type { ManifestDiagnostic } from '../base/diagnostic';
import { ownValue } from '../base/records';
import { AMPLITUDE_FREEMARKER_VERSION, NEWER_SETTINGS, NEWER_SETTING_VALUES } from '../ftl/builtinVersions';
import { insideComment, insideFreemarker } from '../ftl/references';
import { insideRegions, noparseRegions } from '../ftl/regions';

/** `[=expression]`: an interpolation only under interpolation_syntax="square_bracket". */
const SQUARE_INTERPOLATION = /\[=\s*[^\s\]][^\]\n]*\]/g;

/**
 * `[=x]` in template text: with the default interpolation_syntax ("legacy") it is text, sent as it is. The setting
 * is the configuration's; a template cannot change it (`[#ftl interpolation_syntax=...]` is a syntax error).
 */
function squareInterpolations(text: string): ManifestDiagnostic[] {
  const out: ManifestDiagnostic[] = [];
  const noparse = noparseRegions(text);
  SQUARE_INTERPOLATION.lastIndex = 0;
  for (let m = SQUARE_INTERPOLATION.exec(text); m; m = SQUARE_INTERPOLATION.exec(text)) {
    const at = m.index;
    if (insideFreemarker(text, at) || insideComment(text, at) || insideRegions(noparse, at)) continue;
    out.push({
      start: at,
      end: at + m[0].length,
      code: 'square-interpolation-text',
      severity: 'warning',
      message:
        `${m[0]} is sent as it is, the characters "${m[0]}" in the body: FreeMarker ${AMPLITUDE_FREEMARKER_VERSION} ` +
        'reads [=...] as an interpolation only when the interpolation_syntax setting is square_bracket, a ' +
        "setting of the engine's configuration that a template cannot change ([#ftl interpolation_syntax=...] " +
        `is a syntax error). Write \${${m[0].slice(2, -1).trim()}} instead.`,
    });
  }
  return out;
}

/** `<#setting name="value">` and `[#setting name="value"]`, outside comments. */
const SETTING = /[<[]#setting\s+([a-z_]+)\s*=\s*(["'])(.*?)\2/g;

function newerSettings(text: string): ManifestDiagnostic[] {
  const out: ManifestDiagnostic[] = [];
  SETTING.lastIndex = 0;
  for (let m = SETTING.exec(text); m; m = SETTING.exec(text)) {
    if (insideComment(text, m.index) || insideRegions(noparseRegions(text), m.index)) continue;
    const [whole, setting, , value] = m;
    const newer = NEWER_SETTING_VALUES.find((v) => v.setting === setting && v.value === value);
    const since = newer?.since ?? ownValue(NEWER_SETTINGS, setting);
    if (!since) continue;
    const what = newer ? `${setting}="${value}"` : `The ${setting} setting`;
    const detail = newer ? `: ${newer.before}.` : `: ${AMPLITUDE_FREEMARKER_VERSION} rejects the template.`;
    const valueAt = m.index + whole.length - 1 - value.length;
    const instead = newer?.instead;
    out.push({
      start: m.index,
      end: m.index + whole.length,
      code: 'newer-freemarker',
      severity: 'warning',
      message: `${what} is FreeMarker ${since}'s; Amplitude renders with ${AMPLITUDE_FREEMARKER_VERSION}${detail}`,
      fixes: instead
        ? [{ title: `Use "${instead}"`, edits: () => [{ offset: valueAt, length: value.length, content: instead }] }]
        : undefined,
    });
  }
  return out;
}

/** Square-bracket interpolations sent as text, and settings from a FreeMarker newer than Amplitude's. */
export function syntaxChecks(text: string): ManifestDiagnostic[] {
  return [...squareInterpolations(text), ...newerSettings(text)];
}
