import { formatCount } from '../../bench/format-count.js'
import type { HttpCell, HttpReport } from '../../bench/http/report.js'
import { tableRow } from '../markdown-table.js'
import { markdownText } from '../safe-text.js'
import { formatInterval, formatShare } from './format.js'
import { httpOpenLoopMarkdown } from './open-loop-markdown.js'

/** Browsers keep at most this many bytes per cookie (RFC 6265 asks them to keep at least as many). */
export const BROWSER_COOKIE_BYTES = 4096

/**
 * The HTTP bench as Markdown: per scenario, each setup's req/s, p50 and p99, and the share of a
 * session-less server's throughput it keeps, all with 95 % intervals.
 */
export function httpMarkdown(http: HttpReport): string[] {
  const { settings } = http
  const lines = [
    '## Whole requests over HTTP',
    '',
    `The same Express ${http.environment.express} app in a process of its own, on loopback, with no session, ` +
      `with cookie-session ${http.environment.cookieSession}, and with express-session on each store; load from ` +
      `autocannon ${http.environment.autocannon} in the bench's process: ${settings.connections} connections, one ` +
      `request in flight each (closed loop), a ${settings.payload} session per signed-in user. Each setup is ` +
      `measured in windows of ${settings.windowMs} ms alternating with no-session's, until its req/s and the ` +
      `share of no-session's it keeps are known to ±${settings.targetPct} % or for ${settings.cellCapMs} ms. ` +
      'Latency in ms, from request sent to response read.',
    '',
    ...settings.scenarios.map((scenario) => `- **${scenario.name}**: ${scenario.describes}`),
    ...cookieNote(http),
  ]
  for (const failure of http.failures)
    lines.push(
      '',
      `**failed**: ${failure.setup} · ${failure.scenario}, window ${failure.window}: ${markdownText(failure.error)}`,
    )
  for (const unavailable of http.setups.filter((setup) => setup.unavailable))
    lines.push('', `**${unavailable.name} not measured**: ${markdownText(unavailable.unavailable ?? '')}`)
  for (const scenario of settings.scenarios) {
    const cells = http.cells.filter((cell) => cell.scenario === scenario.name)
    if (cells.length === 0) continue
    lines.push(
      '',
      `### ${scenario.name}`,
      '',
      '| setup | req/s | p50 | p99 | keeps of no-session req/s |',
      '| --- | ---: | ---: | ---: | ---: |',
      ...cells.map(httpRow),
    )
  }
  const openLoop = httpOpenLoopMarkdown(http)
  if (openLoop.length > 0) lines.push('', ...openLoop)
  return lines
}

function httpRow(cell: HttpCell): string {
  const kept = cell.kept ? formatShare(cell.kept, cell.resolved) : '—'
  return tableRow([
    cell.setup,
    formatInterval(cell.opsPerSec, cell.resolved, formatCount),
    formatInterval(cell.p50),
    formatInterval(cell.p99),
    kept,
  ])
}

/** What cookie-session's cookie weighs, and whether a browser would keep it. */
function cookieNote(http: HttpReport): string[] {
  const cookie = http.setups.find((setup) => setup.kind === 'cookie-session')?.cookieBytes
  if (cookie === undefined) return []
  const over = cookie > BROWSER_COOKIE_BYTES
  return [
    '',
    `cookie-session's cookie for a ${http.settings.payload} session is ${formatCount(cookie)} bytes` +
      (over
        ? `: **over the ${BROWSER_COOKIE_BYTES} bytes browsers keep per cookie**, so a browser would drop it and ` +
          'the user would be signed out; its figures here are what it would cost if it fit.'
        : `, within the ${BROWSER_COOKIE_BYTES} bytes browsers keep per cookie.`),
  ]
}
