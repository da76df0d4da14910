/**
 * FreeMarker names by the version that brought them, for messages that say "?x needs FreeMarker 2.3.32". From the
 * FreeMarker version history (https://freemarker.apache.org/docs/app_versions.html) and, for 2.3.32's computer
 * format, "Formatting for humans, or for computers"
 * (https://freemarker.apache.org/docs/dgui_misc_computer_vs_human_format.html). What 2.3.31 itself supports is
 * generated from the engine: ftl/builtins.ts.
 */

/** The FreeMarker version Amplitude renders templates with. */
export const AMPLITUDE_FREEMARKER_VERSION = '2.3.31';

/** Built-ins newer than the oldest engine we run (2.3.28, the bundled jar), with the version that brought them. */
export const NEWER_BUILTINS: Record<string, string> = {
  filter: '2.3.29',
  map: '2.3.29',
  take_while: '2.3.29',
  drop_while: '2.3.29',
  with_args: '2.3.30',
  with_args_last: '2.3.30',
  eval_json: '2.3.31',
  cn: '2.3.32',
};

/** Setting values newer than 2.3.31: `<#setting number_format="c">` is 2.3.32's name for "computer". */
export const NEWER_SETTING_VALUES: readonly {
  setting: string;
  value: string;
  since: string;
  before: string;
  /** What 2.3.31 calls the same thing. */
  instead?: string;
}[] = [
  {
    setting: 'number_format',
    value: 'c',
    since: '2.3.32',
    instead: 'computer',
    before: '2.3.31 reads it as a pattern: 1763647400000 prints c1763647400000, 1.5 prints c2. Use "computer"',
  },
];

/** Settings newer than 2.3.31 (`<#setting c_format=...>`), with the version that brought them. */
export const NEWER_SETTINGS: Record<string, string> = { c_format: '2.3.32' };

/** Directives newer than 2.3.31 (`<#on>`, preferred over `<#case>` inside `<#switch>`). */
export const NEWER_DIRECTIVES: Record<string, string> = { on: '2.3.34' };

/** True when `version` is `wanted` or later (three numeric parts). */
export function versionAtLeast(version: string, wanted: string): boolean {
  const a = version.split('.').map(Number);
  const b = wanted.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

/** A name the engine's message calls unknown that a newer FreeMarker has: `?cn`, `<#on>`, `c_format`. */
export function newerNameIn(message: string): { what: string; since: string } | undefined {
  const builtIn = /Unknown built-in: "([a-z_]+)"/.exec(message)?.[1];
  if (builtIn && Object.hasOwn(NEWER_BUILTINS, builtIn)) return { what: `?${builtIn}`, since: NEWER_BUILTINS[builtIn] };
  const directive = /Unknown directive: #([a-z_]+)/.exec(message)?.[1];
  if (directive && Object.hasOwn(NEWER_DIRECTIVES, directive))
    return { what: `<#${directive}>`, since: NEWER_DIRECTIVES[directive] };
  const setting = /Unknown setting name: "([a-z_]+)"/.exec(message)?.[1];
  if (setting && Object.hasOwn(NEWER_SETTINGS, setting))
    return { what: `The ${setting} setting`, since: NEWER_SETTINGS[setting] };
  return undefined;
}
