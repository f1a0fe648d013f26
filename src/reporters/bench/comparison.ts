import type { CellComparison } from '../../bench/compare.js'
import { tableRow } from '../markdown-table.js'

/** The comparison with a baseline as Markdown: what changed, and a count of what did not. */
export function comparisonMarkdown(comparisons: readonly CellComparison[]): string {
  const count = (verdict: string) => comparisons.filter((entry) => entry.comparison.verdict === verdict).length
  const notable = comparisons.filter((entry) => entry.comparison.verdict !== 'no-change')
  const counts = [
    `${count('regression')} regression(s)`,
    `${count('improvement')} improvement(s)`,
    `${count('inconclusive')} inconclusive`,
    `${count('no-change')} unchanged`,
  ].join(', ')
  const reproduced = comparisons.filter((entry) => entry.comparison.reproduced).length
  const lines = [
    '## Compared with the baseline',
    '',
    `Reproduced: ${reproduced} of ${comparisons.length} figures compared lie inside the other run's 95 % interval, ` +
      'both ways.',
    '',
    `${counts}: a change over 10 % whose 95 % intervals do not overlap, by the × raw ratio where both runs ` +
      'have one (it holds when the machine runs at another speed), else by the p50 (a mix: its mean).',
  ]
  if (notable.length > 0) {
    lines.push(
      '',
      '| verdict | store | operation | payload | in flight | change (95 % interval) | why |',
      '| --- | --- | --- | --- | ---: | ---: | --- |',
    )
    for (const { store, operation, payload, concurrency, comparison } of notable) {
      const percent = (ratio: number) => `${ratio >= 1 ? '+' : '−'}${(Math.abs(ratio - 1) * 100).toFixed(1)} %`
      const change = `${percent(comparison.ratio)} (${percent(comparison.low)} to ${percent(comparison.high)})`
      lines.push(tableRow([comparison.verdict, store, operation, payload, concurrency, change, comparison.reason]))
    }
  }
  return `${lines.join('\n')}\n`
}
