import type { BenchReport } from '../bench/report.js'
import type { Check, MatrixReport } from '../core/types.js'
import { benchHtml } from './bench/html.js'
import { benchJson } from './bench/json.js'
import { type BenchRenderOptions, benchMarkdown } from './bench/markdown.js'
import { catalogueJson, catalogueMarkdown, catalogueText } from './catalogue.js'
import { type MatrixRenderOptions, matrixJson, matrixMarkdown } from './matrix.js'
import { githubReporter } from './run/github.js'
import { jsonReporter } from './run/json.js'
import { junitReporter } from './run/junit.js'
import { markdownReporter } from './run/markdown.js'
import type { Reporter, ReporterOptions } from './run/reporter.js'
import { createTtyReporter } from './run/tty.js'

/**
 * Every output, by the name users pick it with: one map per kind of report, each renderer taking
 * that report and the options of its kind (vitest's ReportersMap, mitata's formats). A new output
 * is a renderer file and a line here.
 */

/** Run results, as --reporter takes them; a reporter may also follow the run as it goes. */
export const reporters = {
  tty: (options: ReporterOptions) => createTtyReporter(options),
  json: () => jsonReporter,
  junit: () => junitReporter,
  markdown: () => markdownReporter,
  github: () => githubReporter,
} satisfies Record<string, (options: ReporterOptions) => Reporter>

export type ReporterName = keyof typeof reporters
export const reporterNames = Object.keys(reporters) as ReporterName[]

export function isReporterName(name: string): name is ReporterName {
  return Object.hasOwn(reporters, name)
}

/** The check catalogue (--list); --reporter picks the format, and formats it has no form for get text. */
export const catalogueFormats = {
  tty: catalogueText,
  json: catalogueJson,
  markdown: catalogueMarkdown,
} satisfies Record<string, (checks: readonly Check[]) => string>

/** A report written to a file of its own: its name, and how it is rendered. */
export interface FileFormat<Report, Options> {
  readonly file: string
  readonly render: (report: Report, options: Options) => string
}

/** The conformance matrix: Markdown to publish, JSON for tools. */
export const matrixFormats = {
  markdown: { file: 'conformance-matrix.md', render: matrixMarkdown },
  json: { file: 'conformance-matrix.json', render: matrixJson },
} satisfies Record<string, FileFormat<MatrixReport, MatrixRenderOptions>>

/**
 * The bench: JSON for tools and the regression gate (written first, so the measurements are saved
 * before anything else can go wrong), Markdown for a README or a PR, a self-contained HTML page.
 */
export const benchFormats = {
  json: { file: 'bench.json', render: benchJson },
  markdown: { file: 'bench.md', render: benchMarkdown },
  html: { file: 'bench.html', render: benchHtml },
} satisfies Record<string, FileFormat<BenchReport, BenchRenderOptions>>

export type { BenchRenderOptions } from './bench/markdown.js'
export type { MatrixRenderOptions } from './matrix.js'
export type { RenderOptions, Reporter, ReporterOptions } from './run/reporter.js'
