/**
 * A vitest reporter for `scripts/stress.ts`: writes what failed in a round, with the assertion's
 * diff, as a JSON array of strings to STRESS_FAILURES_FILE, so the summary can say which verdict
 * changed under load. (vitest's JSON reporter keeps only the stack, not the diff.)
 */
import { writeFileSync } from 'node:fs'
import { stripVTControlCharacters } from 'node:util'
import type { SerializedError } from 'vitest'
import type { Reporter, TestModule } from 'vitest/node'

/** Enough diff lines to name the checks whose verdict changed, few enough for a summary. */
const DIFF_LINES = 12

/** The message's first line, then the lines the diff adds or removes (without its header). */
function describe(error: SerializedError): string {
  const lines = [error.message.split('\n')[0] ?? '']
  const changed = stripVTControlCharacters(typeof error.diff === 'string' ? error.diff : '')
    .split('\n')
    .filter((line) => /^[+-] /.test(line) && !/^[+-] (Expected|Received)$/.test(line) && !/^[+-] [[\]{}]$/.test(line))
  lines.push(...changed.slice(0, DIFF_LINES).map((line) => `  ${line}`))
  if (changed.length > DIFF_LINES) lines.push(`  … ${changed.length - DIFF_LINES} more`)
  return lines.join('\n')
}

export default class StressReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandled: ReadonlyArray<SerializedError>): void {
    const file = process.env.STRESS_FAILURES_FILE
    if (!file) return
    const failures: string[] = []
    for (const module of modules) {
      for (const error of module.errors()) failures.push(`${module.relativeModuleId}: ${describe(error)}`)
      for (const test of module.children.allTests('failed'))
        for (const error of test.result().errors ?? [])
          failures.push(`${module.relativeModuleId} > ${test.fullName}: ${describe(error)}`)
    }
    for (const error of unhandled) failures.push(`unhandled error: ${describe(error)}`)
    writeFileSync(file, JSON.stringify(failures))
  }
}
