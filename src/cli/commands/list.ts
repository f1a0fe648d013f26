import { selectChecks } from '../../core/select-checks.js'
import { catalogueFormats } from '../../reporters/index.js'
import { checks } from '../../suites/index.js'
import { type CliIo, EXIT } from '../io.js'
import type { RunFlags } from '../options.js'

/** `--list`: the catalogue, filtered as a run would be, in the format --reporter names (text where it has none). */
export async function list(flags: Pick<RunFlags, 'reporter' | 'only' | 'skip'>, io: CliIo): Promise<number> {
  const selected = checks.filter(selectChecks(checks, flags.only, flags.skip))
  const asked = flags.reporter[0] ?? 'tty'
  const format = Object.hasOwn(catalogueFormats, asked) ? (asked as keyof typeof catalogueFormats) : 'tty'
  io.stdout.write(`${catalogueFormats[format](selected).trimEnd()}\n`)
  return EXIT.pass
}
