import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { XMLValidator } from 'fast-xml-parser'
import { afterEach, describe, expect, type TestContext, test, vi } from 'vitest'
import { reportOutputs } from '../src/cli/report-outputs.js'
import type { RunReport } from '../src/core/types.js'
import { githubReporter } from '../src/reporters/run/github.js'
import { cliIn } from './support/cli-in-process.js'

const fixtures = fileURLToPath(new URL('./fixtures/modules/', import.meta.url))

async function tempDir(context: TestContext): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sc-ci-reporters-'))
  context.onTestFinished(() => rm(dir, { recursive: true, force: true }))
  return dir
}

const flags = { reporter: [], out: undefined, outJson: undefined, outJunit: undefined, outMarkdown: undefined }

describe('where reports go', () => {
  test('the terminal report by default; under GitHub Actions its annotations and the job summary too', () => {
    expect(reportOutputs(flags, {})).toEqual({ stdout: ['tty'], files: [] })
    expect(reportOutputs(flags, { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: '/tmp/summary.md' })).toEqual({
      stdout: ['tty', 'github'],
      files: [],
      jobSummary: '/tmp/summary.md',
    })
  })

  test('--out-<format> writes that format to its file beside the terminal report', () => {
    const outputs = reportOutputs(
      { ...flags, reporter: ['tty', 'junit'], outJunit: 'junit.xml', outJson: 'r.json' },
      {},
    )
    expect(outputs.stdout).toEqual(['tty'])
    expect(outputs.files).toEqual([
      { reporter: 'json', file: 'r.json', flag: '--out-json' },
      { reporter: 'junit', file: 'junit.xml', flag: '--out-junit' },
    ])
  })

  test('--out is the file of the one document chosen, or of the terminal report', () => {
    expect(reportOutputs({ ...flags, reporter: ['junit'], out: 'r.xml' }, {})).toEqual({
      stdout: ['tty'],
      files: [{ reporter: 'junit', file: 'r.xml', flag: '--out' }],
    })
    expect(reportOutputs({ ...flags, out: 'r.txt' }, {}).files).toEqual([
      { reporter: 'tty', file: 'r.txt', flag: '--out' },
    ])
  })

  test('one document alone on stdout, or an error before the run: never a mix a tool could not parse', () => {
    expect(reportOutputs({ ...flags, reporter: ['json'] }, {})).toEqual({ stdout: ['json'], files: [] })
    expect(() => reportOutputs({ ...flags, reporter: ['json', 'junit'] }, {})).toThrow(
      'json, junit would share stdout: give each document reporter a file of its own',
    )
    expect(() => reportOutputs({ ...flags, reporter: ['tty', 'markdown'] }, {})).toThrow(/would share stdout/)
    expect(() => reportOutputs({ ...flags, reporter: ['json', 'junit'], out: 'x' }, {})).toThrow(
      '--out takes one report, and json and junit were chosen: use --out-json <file> …',
    )
  })
})

describe('the github reporter', () => {
  afterEach(() => {
    vi.unstubAllEnvs()
  })

  test('one run feeds the log, the annotations, the job summary and JUnit', async (context) => {
    const dir = await tempDir(context)
    const summary = path.join(dir, 'summary.md')
    vi.stubEnv('GITHUB_STEP_SUMMARY', summary)
    const junit = path.join(dir, 'reports', 'junit.xml')
    const argv = ['./fails-required.cjs', '--reporter', 'tty', '--reporter', 'github', '--out-junit', junit]
    const { code, stdout } = await cliIn(fixtures, argv)
    expect(code).toBe(1)
    // The terminal report, then the workflow commands: an error per failure that fails the run.
    expect(stdout).toContain('Failed (required):')
    expect(stdout).toMatch(
      /^::error title=get\.miss-returns-nothing \[required\] on \.\/fails-required\.cjs::a miss called back/m,
    )
    expect(stdout).toMatch(/^FAIL at the required gate: \.\/fails-required\.cjs: /m)
    expect(stdout).toContain('report written to')
    expect(await readFile(summary, 'utf8')).toMatch(/^## store-conformance: \.\/fails-required\.cjs\n\n\*\*FAIL\*\*/)
    expect(XMLValidator.validate(await readFile(junit, 'utf8'))).toBe(true)
  })

  test('a deviation below the gate is a warning, and nothing a store says can end a command early', () => {
    const report = {
      store: { name: 'hostile' },
      summary: { passed: 0, failed: 2, warned: 0, skipped: 1 },
      results: [
        {
          id: 'core.a',
          group: 'core',
          level: 'required',
          title: 't',
          durationMs: 1,
          status: 'fail',
          message: '100% broken\n::error::injected',
          impact: 'i',
        },
        {
          id: 'touch.b',
          group: 'touch',
          level: 'recommended',
          title: 't',
          durationMs: 1,
          status: 'fail',
          message: 'm',
          impact: 'i',
        },
        {
          id: 'ttl.c',
          group: 'ttl',
          level: 'required',
          title: 't',
          durationMs: 1,
          status: 'skip',
          reason: 'inconclusive',
          message: 'too slow',
        },
      ],
    } as unknown as RunReport
    const lines = githubReporter.render(report, { gate: 'required', color: false }).trimEnd().split('\n')
    expect(lines).toEqual([
      '::error title=core.a [required] on hostile::100%25 broken%0A::error::injected%0Aimpact: i',
      '::warning title=touch.b [recommended] on hostile::m%0Aimpact: i',
      '::warning title=ttl.c [required] on hostile (inconclusive)::too slow',
      'FAIL at the required gate: hostile: 0 passed, 2 failed, 0 warned, 1 skipped',
    ])
  })
})
