import { DIAGNOSTIC_CODES, type CodeInfo } from './codes';

/** The diagnostics reference, written from the code table: docs/diagnostics.md and the README's tables. */

const WHERE: Record<CodeInfo['in'], string> = {
  manifest: 'manifests (`*.amplitude.json`)',
  template: 'event body templates (`.ftl`)',
  both: 'manifests and event body templates',
};

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function table(codes: readonly CodeInfo[]): string {
  const rows = codes.map(
    (c) =>
      `| [\`${c.code}\`](docs/diagnostics.md#${c.code}) | ${c.severity} | ${cell(c.summary)} | ${cell(c.fix ?? '')} |`,
  );
  return ['| code | severity | meaning | quick fix |', '|---|---|---|---|', ...rows].join('\n');
}

/** The README's section between its diagnostics markers. */
export function readmeDiagnosticsTables(): string {
  const manifest = DIAGNOSTIC_CODES.filter((c) => c.in !== 'template');
  const template = DIAGNOSTIC_CODES.filter((c) => c.in !== 'manifest');
  return [table(manifest), '', 'In `.ftl` templates:', '', table(template)].join('\n');
}

/** docs/diagnostics.md: one heading per code, the anchor every `codeDescription` and SARIF rule links to. */
export function diagnosticsDocument(): string {
  const sections = DIAGNOSTIC_CODES.map((c) =>
    [
      `## ${c.code}`,
      '',
      `**${c.severity}** in ${WHERE[c.in]}.`,
      '',
      c.summary,
      ...(c.fix ? ['', `Quick fix: ${c.fix}`] : []),
      '',
    ].join('\n'),
  );
  const intro = [
    '# Diagnostics reference',
    '',
    '<!-- Written by `npm run docs` from server/src/diagnostics/codes.ts: edit the table there, not this file. -->',
    '',
    'Every problem the editor, `amplitude-integration validate` and the SARIF output report has one of these',
    'stable codes. The severity is the default; `--fail-on` chooses which severities fail a CI run.',
    '',
  ];
  return [...intro, ...sections].join('\n');
}

export const README_MARKERS = { start: '<!-- diagnostics:start -->', end: '<!-- diagnostics:end -->' } as const;

/** The README with its diagnostics section rewritten from the table. */
export function withReadmeTables(readme: string): string {
  const start = readme.indexOf(README_MARKERS.start);
  const end = readme.indexOf(README_MARKERS.end);
  if (start < 0 || end < start) throw new Error('README.md has no diagnostics markers');
  const head = readme.slice(0, start + README_MARKERS.start.length);
  return `${head}\n${readmeDiagnosticsTables()}\n${readme.slice(end)}`;
}
