import type { TemplateError } from './worker/messages';

/** Built-ins added after 2.3.28, with the version that brought them. */
export const NEWER_BUILTINS: Record<string, string> = {
  filter: '2.3.29',
  map: '2.3.29',
  take_while: '2.3.29',
  drop_while: '2.3.29',
  with_args: '2.3.30',
  with_args_last: '2.3.30',
  eval_json: '2.3.31',
};

function versionAtLeast(version: string, wanted: string): boolean {
  const a = version.split('.').map(Number);
  const b = wanted.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

/** Says "needs 2.3.29" instead of the old engine's confusing syntax error, where that is the cause. */
export function explainOldEngine(error: TemplateError, version: string): TemplateError {
  const unknown = /Unknown built-in: "([a-z_]+)"/.exec(error.message);
  const lambda = /->/.test(error.message) ? '2.3.29' : undefined;
  const needed = unknown ? NEWER_BUILTINS[unknown[1]] : lambda;
  if (!needed || versionAtLeast(version, needed)) return error;
  const what = unknown ? `?${unknown[1]}` : 'A lambda (x -> ...)';
  return {
    ...error,
    message:
      `${what} needs FreeMarker ${needed} or newer, and the engine in use is ${version}. Amplitude ` +
      `renders with a newer FreeMarker: install libfreemarker-java (2.3.31) or set amplitude.freemarker.jarPath ` +
      `to a newer freemarker.jar.`,
  };
}
