import { execFile } from 'node:child_process'
import { lstat, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { XMLValidator } from 'fast-xml-parser'
import { describe, expect, type TestContext, test } from 'vitest'
import { runConformance } from '../src/api/run-conformance.js'
import type { RunOptions } from '../src/api/run-options.js'
import type { RunProblemKind, RunReport } from '../src/core/types.js'
import { runFailed, runProblems } from '../src/core/verdict.js'
import { reporterNames, reporters } from '../src/reporters/index.js'
import { checks } from '../src/suites/index.js'
import { cliIn } from './support/cli-in-process.js'

const hostileDir = fileURLToPath(new URL('./fixtures/hostile/', import.meta.url))
const hostile = (name: string) => path.join(hostileDir, `${name}.cjs`)

/**
 * Every hostile run ends within this, whatever the store does: the longest is the one whose event
 * loop never comes back, killed after 10 s of silence.
 */
const RUN_BOUND_MS = 30_000

interface HostileCase {
  readonly store: string
  /** The run-level problem the report must name, or undefined when failed checks say it. */
  readonly problem?: RunProblemKind
  readonly cause: RegExp
  readonly options?: Partial<RunOptions>
}

const cases: HostileCase[] = [
  { store: 'exits-in-destroy', problem: 'store-exited', cause: /exited with code 0 during destroy\(\) in destroy\./ },
  { store: 'crashes', problem: 'store-exited', cause: /killed by SIGABRT during get\(\)/ },
  {
    store: 'exhausts-memory',
    problem: 'out-of-memory',
    cause: /ran out of its 256 MB heap during get\(\)/,
    options: { memoryLimitMb: 256 },
  },
  {
    store: 'hangs-forever',
    problem: 'store-hung',
    cause: /stopped answering during get\(\) in .*: its event loop was blocked for 1\d s/,
    options: { timeoutMs: 1000 },
  },
  { store: 'patches-builtins', problem: 'tampered', cause: /Array\.prototype\.filter, JSON\.stringify/ },
  { store: 'blocks-event-loop', problem: 'event-loop-blocked', cause: /set\(\) blocked the event loop for 1\.\d s/ },
  { store: 'throws-in-close', problem: 'cleanup-failed', cause: /the connection pool is poisoned/ },
  { store: 'replaces-timers', problem: 'tampered', cause: /setTimeout/, options: { timeoutMs: 500 } },
  { store: 'forges-results', problem: 'protocol', cause: /does not verify|not a signed report/ },
  { store: 'throwing-proxy', cause: /threw synchronously: Error: the proxy gave up/ },
  { store: 'floods-callbacks', cause: /called back 10000 times/ },
  { store: 'hostile-text', cause: /uncaught exception from the store/ },
]

/** Every format the run command writes, rendered from the report as the CLI does. */
function renderAll(report: RunReport): Record<string, string> {
  return Object.fromEntries(
    reporterNames.map((name) => [name, reporters[name]({}).render(report, { gate: 'required', color: false })]),
  )
}

describe.concurrent('a hostile store cannot end the run early, forge its verdict or poison a report', () => {
  test.each(cases.map((entry) => [entry.store, entry] as const))('%s', async (_name, entry) => {
    const started = Date.now()
    const report = await runConformance({ store: hostile(entry.store), ...entry.options })
    expect(Date.now() - started).toBeLessThan(RUN_BOUND_MS)

    expect(runFailed(report)).toBe(true)
    const problems = runProblems(report)
    if (entry.problem) {
      const named = problems.filter((problem) => problem.kind === entry.problem)
      expect(named.map((problem) => problem.message).join('\n')).toMatch(entry.cause)
    } else {
      const failures = report.results.flatMap((result) => (result.status === 'fail' ? [result.message] : []))
      expect(failures.join('\n')).toMatch(entry.cause)
    }
    // Every check is accounted for, by the parent's own catalogue.
    expect(report.results).toHaveLength(checks.length)

    const rendered = renderAll(report)
    expect(() => JSON.parse(rendered.json as string)).not.toThrow()
    expect(XMLValidator.validate(rendered.junit as string)).toBe(true)
    // The JUnit totals agree with the exit code: something failed.
    expect(rendered.junit).not.toMatch(/<testsuites [^>]*failures="0"/)
    for (const text of Object.values(rendered)) {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: no control character may reach a report.
      expect(text).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/)
      expect(text.length).toBeLessThan(400_000)
    }
    for (const problem of problems) expect(rendered.markdown).toContain(`(${problem.kind})`)
  })
})

test('store text is escaped for each format: no terminal commands, raw HTML or broken XML', async () => {
  const report = await runConformance({ store: hostile('hostile-text'), only: ['core'] })
  const rendered = renderAll(report)
  expect(rendered.tty).toContain('\\u001b[2J')
  expect(rendered.tty).not.toContain('\u001b')
  expect(rendered.markdown).toContain('&lt;script&gt;')
  expect(rendered.markdown).not.toMatch(/<script|<!--/)
  expect(rendered.junit).not.toContain('<script')
  // The megabyte of text is cut in every format.
  for (const text of Object.values(rendered)) {
    expect(Math.max(...text.split('\n').map((line) => line.length))).toBeLessThan(3000)
  }
})

test('an in-process run counts a callback flood instead of storing it', async () => {
  const before = process.memoryUsage().heapUsed
  const report = await runConformance({ store: hostile('floods-callbacks'), isolate: false, only: ['callbacks'] })
  const exactlyOnce = report.results.find((result) => result.id === 'callbacks.exactly-once')
  expect(exactlyOnce).toMatchObject({ status: 'fail', message: expect.stringMatching(/called back 10000 times/) })
  expect(JSON.stringify(report).length).toBeLessThan(50_000)
  // Generous: storing each repeat as an entry cost hundreds of MB.
  expect(process.memoryUsage().heapUsed - before).toBeLessThan(100 * 1024 * 1024)
})

const cli = (cwd: string, ...argv: string[]) => cliIn(cwd, argv)

async function tempDir(context: TestContext): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sc-hostile-'))
  context.onTestFinished(() => rm(dir, { recursive: true, force: true }))
  return dir
}

describe.concurrent('the CLI', () => {
  test('a store that calls process.exit(0) exits 1, with the report written and the cause in it', async (context) => {
    const dir = await tempDir(context)
    const file = path.join(dir, 'nested', 'report.xml')
    const { code, stdout } = await cli(hostileDir, './exits-in-destroy.cjs', '--reporter', 'junit', '--out', file)
    expect(code).toBe(1)
    expect(stdout).toMatch(/FAIL: .*the run itself failed \(store-exited\)/)
    const junit = await readFile(file, 'utf8')
    expect(XMLValidator.validate(junit)).toBe(true)
    expect(junit).toContain('run.store-exited')
  })

  test('--out refuses a directory, and a symbolic link unless --force, which replaces the link', async (context) => {
    const dir = await tempDir(context)
    const target = path.join(dir, 'precious.txt')
    const link = path.join(dir, 'report.json')
    await writeFile(target, 'keep me')
    await symlink(target, link)
    const refused = await cli(dir, 'memory', '--only', 'shape', '--out', link)
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(/--out: \S*report\.json is a symbolic link; pass --force/)
    expect((await cli(dir, 'memory', '--out', dir)).stderr).toMatch(/is a directory; give a file name/)

    const forced = await cli(dir, 'memory', '--only', 'shape', '--reporter', 'json', '--out', link, '--force')
    expect(forced.code).toBe(0)
    expect(await readFile(target, 'utf8')).toBe('keep me')
    expect((await lstat(link)).isSymbolicLink()).toBe(false)
    expect(JSON.parse(await readFile(link, 'utf8')).summary.failed).toBe(0)
  })

  test('--out refuses a device or a FIFO, which the report would replace', async (context) => {
    const dir = await tempDir(context)
    const fifo = path.join(dir, 'fifo')
    await new Promise<void>((resolve, reject) =>
      execFile('mkfifo', [fifo], (error) => (error ? reject(error) : resolve())),
    )
    const { code, stderr } = await cli(dir, 'memory', '--out', fifo)
    expect(code).toBe(2)
    expect(stderr).toMatch(/is not a regular file/)
    expect((await lstat(fifo)).isFIFO()).toBe(true)
  })

  test.each([
    ['0.5', /whole number of milliseconds, got "0\.5"/],
    ['1e-9', /whole number of milliseconds, got "1e-9"/],
    ['0x10', /whole number of milliseconds, got "0x10"/],
    ['50', /from 100 to 600000, got 50/],
  ])('--timeout %s is refused before anything runs', async (value, message) => {
    const { code, stderr } = await cli(hostileDir, 'memory', '--timeout', value)
    expect(code).toBe(2)
    expect(stderr).toMatch(message)
  })

  test('a store module with a syntax error names file:line:column', async () => {
    const { code, stderr } = await cli(hostileDir, '../modules/syntax-error.cjs')
    expect(code).toBe(2)
    expect(stderr).toMatch(/ParseError: Unexpected token at \S*syntax-error\.cjs:\d+:\d+/)
  })

  test.each([
    ['redis://:secret@127.0.0.1:1', 'redis://:***@127.0.0.1:1'],
    ['redis://user:p@ss@127.0.0.1:1', 'redis://user:***@127.0.0.1:1'],
    ['redis://127.0.0.1:1/0?password=secret', 'redis://127.0.0.1:1/0?password=***'],
  ])('an unreachable %s is reported without its password', async (url, shown) => {
    const { code, stderr } = await cli(hostileDir, 'redis', '--url', url)
    expect(code).toBe(2)
    expect(stderr).toContain(shown)
    expect(stderr).not.toMatch(/secret|p@ss/)
  })
})
