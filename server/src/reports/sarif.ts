import { SarifBuilder, SarifResultBuilder, SarifRuleBuilder, SarifRunBuilder } from 'node-sarif-builder';
import type { Result } from 'sarif';
import type { Severity } from '../base/diagnostic';
import { DIAGNOSTIC_CODES, docsUrl } from '../diagnostics/codes';
import type { ValidateRun } from './finding';

const LEVEL: Record<Severity, Result.level> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

export interface ToolInfo {
  name: string;
  version: string;
  url: string;
}

/**
 * SARIF 2.1.0 with node-sarif-builder: one rule per diagnostic code (its summary and its docs link),
 * one result per finding, regions 1-based as SARIF counts them. GitHub code scanning reads this.
 */
export function formatSarif(run: ValidateRun, tool: ToolInfo): string {
  const sarif = new SarifBuilder();
  const sarifRun = new SarifRunBuilder().initSimple({
    toolDriverName: tool.name,
    toolDriverVersion: tool.version,
    url: tool.url,
  });
  for (const info of DIAGNOSTIC_CODES) {
    const rule = new SarifRuleBuilder().initSimple({
      ruleId: info.code,
      shortDescriptionText: info.summary,
      fullDescriptionText: info.fix ? `${info.summary} Quick fix: ${info.fix}` : info.summary,
      helpUri: docsUrl(info.code),
    });
    rule.rule.defaultConfiguration = { level: LEVEL[info.severity] };
    sarifRun.addRule(rule);
  }
  for (const d of run.diagnostics) {
    const result = new SarifResultBuilder().initSimple({
      level: LEVEL[d.severity],
      messageText: d.message,
      ruleId: d.code,
      // A URI reference: each segment percent-encoded, so `a#b.amplitude.json` is not cut at a fragment.
      fileUri: d.file.split(/[\\/]/).map(encodeURIComponent).join('/'),
      startLine: d.range.start.line + 1,
      startColumn: d.range.start.character + 1,
      endLine: d.range.end.line + 1,
      endColumn: Math.max(d.range.end.character + 1, 1),
    });
    sarifRun.addResult(result);
  }
  sarif.addRun(sarifRun);
  return sarif.buildSarifJsonString({ indent: true });
}
