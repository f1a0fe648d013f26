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
  const lines = [
    '## Compared with the baseline',
    '',
    `${counts} (p50 across runs; Mann–Whitney U, p < 0.05, and a change over 10 %).`,
  ]
  if (notable.length > 0) {
    lines.push(
      '',
      '| verdict | store | operation | payload | in flight | p50 change | why |',
      '| --- | --- | --- | --- | ---: | ---: | --- |',
    )
    for (const { store, operation, payload, concurrency, comparison } of notable) {
      const change = `${comparison.ratio >= 1 ? '+' : '−'}${(Math.abs(comparison.ratio - 1) * 100).toFixed(1)} %`
      lines.push(tableRow([comparison.verdict, store, operation, payload, concurrency, change, comparison.reason]))
    }
  }
  return `${lines.join('\n')}\n`
}
