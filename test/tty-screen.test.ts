import { execFile } from 'node:child_process'
import { accessSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { promisify, stripVTControlCharacters } from 'node:util'
import { describe, expect, test } from 'vitest'
import { checks } from '../src/suites/index.js'

const fixtures = fileURLToPath(new URL('./fixtures/modules/', import.meta.url))
const entry = fileURLToPath(new URL('./support/cli-from-source.ts', import.meta.url))
const run = promisify(execFile)

/** util-linux's script(1) gives the CLI a real pseudo-terminal of the width asked for. */
const SCRIPT = '/usr/bin/script'
const hasScript = (() => {
  try {
    accessSync(SCRIPT)
    return true
  } catch {
    return false
  }
})()
if (!hasScript) console.warn(`skipped the terminal screens: no ${SCRIPT} (util-linux) to make a pseudo-terminal`)

/** The terminal report as a user sees it at `columns`: progress (stderr) left out, ANSI codes removed. */
async function screen(columns: number, store: string): Promise<{ code: number; lines: string[]; raw: string }> {
  const command =
    `stty cols ${columns} rows 200 2>/dev/null; ` +
    `exec "${process.execPath}" --import tsx "${entry}" ${store} 2>/dev/null`
  const { NO_COLOR: _, FORCE_COLOR: __, ...env } = process.env
  const result = await run(SCRIPT, ['-qec', command, '/dev/null'], { cwd: fixtures, env }).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
  )
  const raw = result.stdout.replaceAll('\r\n', '\n')
  return { code: result.code, raw, lines: stripVTControlCharacters(raw).trimEnd().split('\n') }
}

describe.skipIf(!hasScript).concurrent('the terminal report in a pseudo-terminal', () => {
  test.each([80, 120])('at %i columns: wrapped on word boundaries, coloured, failures in detail', async (columns) => {
    const { code, lines, raw } = await screen(columns, './fails-required.cjs')
    expect(code).toBe(1)
    expect(raw).toContain('\x1b[')
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(columns)
    // Continuation lines joined back: each failing check's title reads whole, so no word was cut.
    const joined = lines.join('\n').replace(/\n {4,}(?=\S)/g, ' ')
    const failing = checks.find((check) => check.id === 'get.miss-returns-nothing')
    expect(joined).toContain(`✗ get.miss-returns-nothing [required] ${failing?.title}`)
    // The shape: header, a line per group (passes as a count), details of what failed, recap, verdict.
    expect(lines[0]).toMatch(/^store-conformance \d+\.\d+\.\d+ · store: \.\/fails-required\.cjs$/)
    expect(lines).toContain('shape ✓ 3 passed')
    expect(lines.filter((line) => /^ {2}✓ /.test(line))).toEqual([])
    expect(lines.filter((line) => /^ {6}impact: {3}\S/.test(line)).length).toBeGreaterThan(0)
    const recap = lines.indexOf('Failed (required):')
    expect(recap).toBeGreaterThan(0)
    expect(lines[recap + 1]).toMatch(/^ {2}✗ \S+ \[required\] /)
    expect(
      lines.filter((line) => /^\d+ passed, \d+ failed, \d+ warned, \d+ skipped · [\d.]+ s/.test(line)),
    ).toHaveLength(1)
    expect(lines.at(-1)).toMatch(/^FAIL: \d+ required check\(s\) failed$/)
  })

  test('a built-in store: the header says which package, and for a backend which server and whence', async () => {
    const { lines } = await screen(100, 'file --only shape')
    expect(lines.slice(0, 2)).toEqual([
      expect.stringMatching(/^store-conformance \S+ · store: file$/),
      expect.stringMatching(/^ {2}session-file-store \d+\.\d+\.\d+$/),
    ])
    // Redis is required where CI runs this (STORE_CONFORMANCE_REQUIRE): the URL's server, or one started here.
    const redis = await screen(120, 'redis --only shape')
    const whence = /\((local server started for the run; set REDIS_URL to use yours|from the environment URL)\)$/
    expect(redis.lines[1]).toMatch(/^ {2}connect-redis \S+ on redis \S+ \(/)
    expect(redis.lines[1]).toMatch(whence)
  })
})
