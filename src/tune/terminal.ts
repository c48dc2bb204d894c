import { formatMoney, formatMoneyColumn } from '../report/format.ts';
import { formatDuration } from '../model/units.ts';
import type { TuneDocument, TunedConfig } from './document.ts';
import { formatChange, formatSuccess, noChange } from './format.ts';

/** The tune answer for a terminal: the recommendation and its changes, per scenario, the front, the patches. */
export function formatTuneSummary(doc: TuneDocument): string {
  const lines: string[] = [];
  const rec = doc.best ?? doc.closest!;
  lines.push(`dowsim tune: ${doc.stack.name} against ${doc.scenarios.join(', ')} (SLO ${doc.slo.join(', ')})`);
  lines.push(
    `${doc.search.exhaustive ? 'simulated every combination of' : 'searched'} ${doc.search.dimensions.map((d) => d.id).join(', ') || 'nothing (no setting to tune)'}: ${configurations(doc)} in ${doc.elapsedSeconds.toFixed(2)} s (${count(Math.round(doc.candidatesPerSecond))}/s)${skipped(doc)}${doc.search.capped ? ', stopped at --max-candidates' : ''}`,
  );
  const spans = judgedOver(doc);
  if (spans) lines.push(spans);
  lines.push('');
  lines.push(row('as given', doc.baseline));
  lines.push(row(doc.best ? 'best' : 'closest', rec, doc.baseline.perHour));
  if (rec.changes.length) for (const c of rec.changes) lines.push(`  ${formatChange(c)}`);
  else lines.push(`  no change: ${noChange(doc)}`);
  lines.push('');
  lines.push('per scenario (worst case counts):');
  const given = formatMoneyColumn(doc.baseline.perScenario.map((b) => b.perHour));
  const tuned = formatMoneyColumn(rec.perScenario.map((s) => s.perHour));
  rec.perScenario.forEach((s, i) => {
    const b = doc.baseline.perScenario[i];
    lines.push(`  ${s.scenario}: ${given[i]}/h → ${tuned[i]}/h, legit success ${formatSuccess(b.legitSuccess)} → ${formatSuccess(s.legitSuccess)}`);
  });
  lines.push('');
  lines.push('Pareto front (cost vs legit success; * meets the SLO):');
  const costs = formatMoneyColumn(doc.front.map((p) => p.perHour)); // one precision down the column
  doc.front.forEach((p, i) => {
    lines.push(`  ${p.sloMet ? '*' : ' '} ${costs[i].padStart(10)}/h  ${formatSuccess(p.legitSuccess).padStart(8)}  ${p.changes.map(formatChange).join('; ') || 'no change'}`);
  });
  if (doc.patches) {
    if (doc.patches.serverless !== undefined) lines.push('', 'Serverless Framework (serverless.yml):', doc.patches.serverless.trimEnd());
    lines.push('', 'CloudFormation / SAM:', doc.patches.cloudformation.trimEnd(), '', 'Terraform:', doc.patches.terraform.trimEnd());
  }
  return `${lines.join('\n')}\n`;
}

function row(label: string, c: TunedConfig, from?: number): string {
  const delta = from !== undefined && from > 0 ? ` (${c.perHour <= from ? '−' : '+'}${Math.abs((1 - c.perHour / from) * 100).toFixed(1)}%)` : '';
  return `${label.padEnd(9)} ${formatMoney(c.perHour)}/h${delta}, legit success ${formatSuccess(c.legitSuccess)}${c.sloMet ? '' : ' (misses the SLO)'}`;
}

/** The candidates settled without a simulation of their own, if any. */
const count = (n: number) => n.toLocaleString('en-US');

/** The configurations simulated: the search's (its re-checks among them), or every combination and, apart, those simulated again on 1-second ticks. */
function configurations(doc: TuneDocument): string {
  const plural = (n: number) => `${count(n)} configuration${n === 1 ? '' : 's'}`;
  if (!doc.search.exhaustive) return plural(doc.evaluated);
  const again = doc.evaluated - doc.search.searched;
  return `${plural(doc.search.searched)}${again > 0 ? ` (and ${count(again)} again on 1-second ticks)` : ''}`;
}

function skipped(doc: TuneDocument): string {
  const { implied, pruned } = doc.search;
  if (!implied && !pruned) return '';
  const parts = [
    ...(implied ? [`${implied} implied by a simulated one`] : []),
    ...(pruned ? [`${pruned} pruned, shown unable to win by a cost floor or a run shared with a simulated one`] : []),
  ];
  return `; ${implied + pruned} more settled unsimulated (${parts.join(', ')})`;
}

/** Which scenarios were judged over more than one run of themselves (a diurnal curve's cycle), if any. */
function judgedOver(doc: TuneDocument): string | undefined {
  const spans = doc.search.spans ?? []; // a document written before spans were recorded has none
  if (!spans.some((s) => s.repetitions > 1 || s.capped)) return undefined;
  const parts = spans.map((s) => {
    const d = formatDuration(s.seconds);
    if (s.repetitions === 1) return `${s.scenario} ${d}`;
    const why = s.capped ? 'capped: its traffic comes round later than that, or never' : 'until its traffic comes round';
    return `${s.scenario} ${d} (${s.repetitions} × ${formatDuration(s.scenarioSeconds)}, ${why})`;
  });
  return `judged over ${parts.join(', ')}; $/hour and success are over that span`;
}
