import { isConformanceError, messageOf } from '../core/errors.js'
import { redactCredentials } from '../core/redact.js'
import { tool } from '../core/version.js'
import { terminalText, visibleControls } from '../reporters/safe-text.js'
import { Interrupts } from './interrupts.js'
import { type CliIo, EXIT } from './io.js'
import { parseCli } from './parse-cli.js'

export { type CliIo, EXIT } from './io.js'

/**
 * The CLI: parse, hand the command to its handler (loaded when needed), return the exit code.
 * Known errors print one line; a stack only with --verbose.
 */
export async function runCli(
  argv: readonly string[],
  io: CliIo = { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() },
): Promise<number> {
  const interrupts = new Interrupts(io)
  try {
    const code = await runCommand(argv, io, interrupts)
    return interrupts.exitCode ?? code
  } catch (error) {
    if (interrupts.exitCode !== undefined) return interrupts.exitCode
    const code = isConformanceError(error) ? ` [${error.code}]` : ''
    // One line, whatever the error held: credentials hidden, control characters shown, bounded.
    io.stderr.write(`store-conformance: error: ${terminalText(messageOf(error))}${code}\n`)
    if (argv.includes('--verbose') && error instanceof Error && error.stack)
      io.stderr.write(`${visibleControls(redactCredentials(error.stack))}\n`)
    else if (!isConformanceError(error))
      io.stderr.write('store-conformance: rerun with --verbose for the stack trace\n')
    return EXIT.usage
  } finally {
    interrupts.dispose()
  }
}

/** Parses and hands the command to its handler (loaded when needed). */
async function runCommand(argv: readonly string[], io: CliIo, interrupts: Interrupts): Promise<number> {
  const command = parseCli(argv, tool.version)
  switch (command.kind) {
    case 'help':
    case 'version':
      io.stdout.write(command.text)
      return EXIT.pass
    case 'list':
      return (await import('./commands/list.js')).list(command.flags, io)
    case 'run':
      return (await import('./commands/run.js')).run(command.store, command.flags, io, interrupts)
    case 'matrix':
      return (await import('./commands/matrix.js')).matrix(command.stores, command.flags, io, interrupts)
    case 'bench':
      return (await import('./commands/bench.js')).bench(command.stores, command.flags, io, argv, interrupts)
    case 'clean':
      return (await import('./commands/clean.js')).clean(command.backends, command.flags, io)
  }
}
