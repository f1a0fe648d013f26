import type { CliOption } from './option.js'
import { type AnyCommandSpec, commands, GLOBAL_OPTIONS } from './options.js'

const NAME = 'store-conformance'

/** `store-conformance/0.1.0 linux-x64 node-v20.20.2`, as cac prints it. */
export function versionLine(version: string): string {
  return `${NAME}/${version} ${process.platform}-${process.arch} node-${process.version}\n`
}

/**
 * The help for one command (the default one when none was named), generated from the
 * declarations: usage, the commands (for the default), options with their defaults, examples.
 */
export function renderHelp(name: keyof typeof commands | undefined, version: string): string {
  const spec: AnyCommandSpec = commands[name ?? 'run']
  const sections: [title: string | undefined, body: string][] = [
    [undefined, `${NAME}/${version}`],
    ['Usage', `  $ ${NAME} ${spec.usage}`],
  ]
  if (name === undefined || name === 'run') {
    const all = Object.entries<AnyCommandSpec>(commands)
    const invocation = (key: string) => (key === 'run' ? NAME : `${NAME} ${key}`)
    sections.push(
      ['Commands', table(all.map(([, command]) => [command.usage, command.description]))],
      [
        'For more info, run any command with the `--help` flag',
        all.map(([key]) => `  $ ${invocation(key)} --help`).join('\n'),
      ],
    )
  }
  const { help, version: versionOption } = GLOBAL_OPTIONS
  const global = name === undefined || name === 'run' ? [help, versionOption] : [help]
  const options = [...Object.values(spec.options), ...global]
  sections.push(['Options', table(options.map((option) => [option.flag, describe(option)]))])
  sections.push(['Examples', spec.examples.join('\n')])
  return `${sections.map(([title, body]) => (title ? `${title}:\n${body}` : body)).join('\n\n')}\n`
}

function describe(option: Pick<CliOption<unknown>, 'description' | 'default'>): string {
  if (option.default === undefined) return option.description
  const value = Array.isArray(option.default) ? option.default.join(',') : String(option.default)
  return `${option.description} (default: ${value})`
}

function table(rows: readonly [string, string][]): string {
  const width = Math.max(...rows.map(([left]) => left.length))
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`).join('\n')
}
