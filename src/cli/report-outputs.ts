import type { ReporterName } from '../reporters/index.js'
import { badOption } from './option.js'

/** Reporters whose output is a document (one per stream or file); tty and github are line streams. */
const FILE_FORMATS = ['json', 'junit', 'markdown'] as const
type FileFormat = (typeof FILE_FORMATS)[number]

const isFileFormat = (name: ReporterName): name is FileFormat => (FILE_FORMATS as readonly string[]).includes(name)

/** Where a run's reports go: which reporters print to stdout, which go to files, and the job summary. */
export interface ReportOutputs {
  readonly stdout: readonly ReporterName[]
  readonly files: readonly { readonly reporter: ReporterName; readonly file: string; readonly flag: string }[]
  /** GitHub Actions' job summary file, appended to with the Markdown report (github reporter only). */
  readonly jobSummary?: string
}

export interface OutputFlags {
  readonly reporter: readonly ReporterName[]
  readonly out: string | undefined
  readonly outJson: string | undefined
  readonly outJunit: string | undefined
  readonly outMarkdown: string | undefined
}

/**
 * Decides, before the run, where every report goes. `--out-<format> <file>` writes that format
 * to the file (and selects it); `--out <file>` is the file of the one document reporter chosen
 * (or of the terminal report, as plain text, when none is).
 * stdout takes the tty and github streams together, or one document alone: never a mix a tool
 * reading it could not parse. With no --reporter, the terminal report, and under GitHub Actions
 * its annotations too (as vitest does).
 */
export function reportOutputs(flags: OutputFlags, env: NodeJS.ProcessEnv = process.env): ReportOutputs {
  const explicit = { json: flags.outJson, junit: flags.outJunit, markdown: flags.outMarkdown }
  const files: { reporter: ReporterName; file: string; flag: string }[] = FILE_FORMATS.flatMap((reporter) => {
    const file = explicit[reporter]
    return file === undefined ? [] : [{ reporter, file, flag: `--out-${reporter}` }]
  })
  const inActions = env.GITHUB_ACTIONS === 'true'
  const chosen = flags.reporter.length > 0 ? [...new Set(flags.reporter)] : inActions ? ['tty', 'github'] : ['tty']
  const unfiled = (chosen as ReporterName[]).filter((name) => !files.some((entry) => entry.reporter === name))
  const documents = unfiled.filter(isFileFormat)
  if (flags.out !== undefined) {
    if (documents.length > 1) {
      throw badOption(
        `--out takes one report, and ${documents.join(' and ')} were chosen: use --out-${documents[0]} <file> …`,
      )
    }
    // The one document chosen; with none, the terminal report as plain text.
    files.push({ reporter: documents[0] ?? 'tty', file: flags.out, flag: '--out' })
  }
  const streams = unfiled.filter((name) => !isFileFormat(name))
  const stdoutDocuments = flags.out === undefined ? documents : []
  if (stdoutDocuments.length > 1 || (stdoutDocuments.length === 1 && streams.length > 0)) {
    const mixed = [...streams, ...stdoutDocuments].join(', ')
    throw badOption(
      `${mixed} would share stdout: give each document reporter a file of its own ` +
        '(--out-json, --out-junit, --out-markdown)',
    )
  }
  // A report written to a file leaves stdout to the human summary, as before.
  const stdout: ReporterName[] =
    stdoutDocuments.length === 1 ? stdoutDocuments : streams.length > 0 ? streams : files.length > 0 ? ['tty'] : []
  const jobSummary = stdout.includes('github') ? env.GITHUB_STEP_SUMMARY || undefined : undefined
  return { stdout, files, ...(jobSummary ? { jobSummary } : {}) }
}
