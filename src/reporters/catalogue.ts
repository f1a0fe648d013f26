import type { Check } from '../core/types.js'
import { tableRow } from './markdown-table.js'

/** The check catalogue as a Markdown table: used by `--list --reporter markdown` and the README. */
export function catalogueMarkdown(checks: readonly Check[]): string {
  const needs = (check: Check) => (check.requires.length > 0 ? check.requires.join(', ') : '—')
  const rows = checks.map((check) =>
    tableRow([`\`${check.id}\``, check.level, needs(check), check.title.replace(/\|/g, '\\|')]),
  )
  return ['| id | level | needs | contract |', '| --- | --- | --- | --- |', ...rows].join('\n')
}

/** The catalogue as plain text, grouped, for a terminal. */
export function catalogueText(checks: readonly Check[]): string {
  const width = Math.max(...checks.map((check) => check.id.length))
  const lines: string[] = []
  let group = ''
  for (const check of checks) {
    if (check.group !== group) {
      group = check.group
      lines.push(lines.length > 0 ? '' : '', group)
    }
    const needs = check.requires.length > 0 ? ` (needs ${check.requires.join(', ')})` : ''
    lines.push(`  ${check.id.padEnd(width)}  ${check.level.padEnd(11)}  ${check.title}${needs}`)
  }
  return `${lines.join('\n').trimStart()}\n`
}

/** The catalogue as data, for tools. */
export function catalogueJson(checks: readonly Check[]): string {
  const entries = checks.map(({ id, group, level, title, impact, requires }) => ({
    id,
    group,
    level,
    title,
    impact,
    requires,
  }))
  return `${JSON.stringify(entries, null, 2)}\n`
}
