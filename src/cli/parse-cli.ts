import { type Command, cac } from 'cac'
import { ConformanceError, messageOf } from '../core/errors.js'
import { renderHelp, versionLine } from './help.js'
import { badOption, type CliOptions, longName } from './option.js'
import {
  type AnyCommandSpec,
  type BenchFlags,
  type CleanFlags,
  commands,
  GLOBAL_OPTIONS,
  type MatrixFlags,
  type RunFlags,
} from './options.js'

export type CliCommand =
  | { readonly kind: 'run'; readonly store: string; readonly flags: RunFlags }
  | { readonly kind: 'list'; readonly flags: Pick<RunFlags, 'reporter' | 'only' | 'skip'> }
  | { readonly kind: 'matrix'; readonly stores: string[]; readonly flags: MatrixFlags }
  | { readonly kind: 'bench'; readonly stores: string[]; readonly flags: BenchFlags }
  | { readonly kind: 'clean'; readonly backends: string[]; readonly flags: CleanFlags }
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'version'; readonly text: string }

type CommandName = keyof typeof commands

/** What cac matched: the command, its positional arguments and its raw flags. */
interface Matched {
  readonly name: CommandName
  readonly args: readonly unknown[]
  readonly raw: Record<string, unknown>
}

/**
 * argv → a command, from the declarations in options.ts. Nothing here runs a store; bad flags
 * throw ConformanceError('SC_BAD_OPTION'). cac (the parser vitest uses) splits argv and rejects
 * unknown flags; parsing values, defaults and help are ours, from the same declarations.
 */
export function parseCli(given: readonly string[], version: string): CliCommand {
  const argv = withNegativeValues(given)
  const cli = cac('store-conformance')
  for (const option of Object.values(GLOBAL_OPTIONS)) cli.option(option.flag, option.description)
  let matched: Matched | undefined
  const names = new Map<Command, CommandName>()
  for (const [name, spec] of Object.entries(commands) as [CommandName, AnyCommandSpec][]) {
    const command = cli.command(spec.usage, spec.description)
    names.set(command, name)
    for (const option of Object.values(spec.options)) command.option(option.flag, option.description)
    command.action((...args: unknown[]) => {
      matched = { name, args: args.slice(0, -1), raw: asTyped(args.at(-1) as Record<string, unknown>, argv) }
    })
  }
  try {
    const parsed = cli.parse(['node', 'store-conformance', ...argv], { run: false })
    if (parsed.options.help) {
      return { kind: 'help', text: renderHelp(cli.matchedCommand && names.get(cli.matchedCommand), version) }
    }
    // With or without a command, as users try it (`bench --version`).
    if (parsed.options.version) return { kind: 'version', text: versionLine(version) }
    cli.runMatchedCommand()
  } catch (error) {
    if (error instanceof ConformanceError) throw error
    throw badOption(messageOf(error))
  }
  if (!matched) throw badOption('nothing to do (see --help)')
  return toCommand(matched)
}

/** Every long flag that takes a value (`--timeout <ms>`), of every command. */
function valueFlags(): Set<string> {
  const all = [GLOBAL_OPTIONS, ...Object.values(commands).map((spec: AnyCommandSpec) => spec.options)]
  return new Set(
    all.flatMap((options) =>
      Object.values<{ flag: string }>(options)
        .filter((option) => /[<[]/.test(option.flag))
        .map((option) => longName(option.flag)),
    ),
  )
}

/**
 * `--timeout -5` as `--timeout=-5`: cac reads a value starting with "-" as another flag ("unknown
 * option -5"), where the user meant a number that the option's own parser should refuse clearly.
 */
function withNegativeValues(argv: readonly string[]): string[] {
  const takesValue = valueFlags()
  const out: string[] = []
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] as string
    const next = argv[index + 1]
    if (takesValue.has(arg) && next !== undefined && /^-\d/.test(next)) {
      out.push(`${arg}=${next}`)
      index++
    } else out.push(arg)
  }
  return out
}

function toCommand({ name, args, raw }: Matched): CliCommand {
  const stores = (args[0] ?? []) as string[]
  switch (name) {
    case 'matrix':
      return { kind: 'matrix', stores: [...stores], flags: parseFlags(commands.matrix.options, raw) }
    case 'clean':
      return { kind: 'clean', backends: [...stores], flags: parseFlags(commands.clean.options, raw) }
    case 'bench':
      return {
        kind: 'bench',
        stores: stores.length > 0 ? [...stores] : ['memory'],
        flags: parseFlags(commands.bench.options, raw),
      }
    case 'run': {
      // --list and --all read only the flags they use, as they always have; a run reads them all.
      const { list, all, reporter, only, skip, outDir, require, timeoutMs, verbose } = commands.run.options
      const chosen = parseFlags({ list, all, reporter }, raw)
      const store = args[0] as string | undefined
      if (chosen.list) return { kind: 'list', flags: { ...chosen, ...parseFlags({ only, skip }, raw) } }
      if (chosen.all) {
        return {
          kind: 'matrix',
          stores: store ? [store] : [],
          flags: parseFlags({ outDir, require, timeoutMs, verbose }, raw),
        }
      }
      const flags = parseFlags(commands.run.options, raw)
      if (!store)
        throw badOption('missing store: give a built-in name (memory) or a module path, e.g. store-conformance memory')
      return { kind: 'run', store, flags }
    }
  }
}

/** Each declared option's raw value, parsed by its declaration. */
function parseFlags<Flags>(options: CliOptions<Flags>, raw: Record<string, unknown>): Flags {
  const entries = Object.entries<{ flag: string; parse: (raw: unknown, name: string) => unknown }>(options).map(
    ([key, option]) => {
      const name = longName(option.flag)
      return [key, option.parse(raw[camelCase(name.slice(2))], name)]
    },
  )
  return Object.fromEntries(entries) as Flags
}

/**
 * cac's values with numbers as they were typed: it reads `--timeout 0x10` as 16 and `1e3` as
 * 1000, and each option's parser should see the text to refuse it.
 */
function asTyped(raw: Record<string, unknown>, argv: readonly string[]): Record<string, unknown> {
  const typed = Object.entries(raw).map(([key, value]) => {
    if (typeof value !== 'number') return [key, value]
    const flag = `--${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`
    const index = argv.findLastIndex((arg) => arg === flag || arg.startsWith(`${flag}=`))
    const arg = argv[index]
    if (arg === undefined) return [key, value]
    return [key, arg === flag ? argv[index + 1] : arg.slice(flag.length + 1)]
  })
  return Object.fromEntries(typed)
}

/** How cac names an option's value: `--allow-clear` → `allowClear`. */
function camelCase(name: string): string {
  return name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase())
}
