import { AMPLITUDE_FREEMARKER_VERSION, NEWER_BUILTINS, newerNameIn, versionAtLeast } from '../ftl/builtinVersions';
import type { TemplateError } from './worker/messages';

export { NEWER_BUILTINS };

/** Says "needs 2.3.29" instead of the old engine's confusing syntax error, where that is the cause. */
export function explainOldEngine(error: TemplateError, version: string): TemplateError {
  const lambda = /->/.test(error.message) ? { what: 'A lambda (x -> ...)', since: '2.3.29' } : undefined;
  const newer = newerNameIn(error.message) ?? lambda;
  if (!newer || versionAtLeast(version, newer.since)) return error;
  const where = versionAtLeast(AMPLITUDE_FREEMARKER_VERSION, newer.since)
    ? `Amplitude renders with FreeMarker ${AMPLITUDE_FREEMARKER_VERSION}: install libfreemarker-java ` +
      `(${AMPLITUDE_FREEMARKER_VERSION}) or set amplitude.freemarker.jarPath to a newer freemarker.jar.`
    : `Amplitude renders with FreeMarker ${AMPLITUDE_FREEMARKER_VERSION}, which does not have it either.`;
  return {
    ...error,
    message: `${newer.what} needs FreeMarker ${newer.since} or newer, and the engine in use is ${version}. ${where}`,
  };
}
