import { jsonReporter } from './json.js'
import { junitReporter } from './junit.js'
import { markdownReporter } from './markdown.js'
import type { Reporter } from './reporter.js'
import { createTtyReporter, type TtyReporterOptions } from './tty.js'

export type ReporterName = 'tty' | 'json' | 'junit' | 'markdown'

/** Reporters by name, as --reporter takes them. */
export const reporters: Record<ReporterName, (options: TtyReporterOptions) => Reporter> = {
  tty: (options) => createTtyReporter(options),
  json: () => jsonReporter,
  junit: () => junitReporter,
  markdown: () => markdownReporter,
}

export const reporterNames = Object.keys(reporters) as ReporterName[]

export function isReporterName(name: string): name is ReporterName {
  return (reporterNames as string[]).includes(name)
}

export type { RenderOptions, Reporter } from './reporter.js'
