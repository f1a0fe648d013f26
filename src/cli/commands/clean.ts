import { cleanNamespaces, type FoundNamespace } from '../../api/clean.js'
import { terminalText } from '../../reporters/safe-text.js'
import { type CliIo, EXIT } from '../io.js'
import type { CleanFlags } from '../options.js'

const SAID: Record<FoundNamespace['action'], string> = {
  removed: 'removed',
  stale: 'stale: pass --yes to remove',
  'too-recent': 'kept: too recent',
  'age-unknown': 'kept: no time in its name',
  failed: 'could not remove',
}

/** `store-conformance clean`: what interrupted runs left, listed; removed with --yes. Exit 1 if a removal failed. */
export async function clean(backends: readonly string[], flags: CleanFlags, io: CliIo): Promise<number> {
  const report = await cleanNamespaces({
    backends,
    url: flags.url,
    olderThanMs: flags.olderThanMs,
    remove: flags.remove,
  })
  for (const found of report.namespaces) {
    const made = found.createdAt ? ` (made ${found.createdAt})` : ''
    const error = found.error ? `: ${found.error}` : ''
    // Names and errors come from the servers: shown, never interpreted by the terminal.
    const line = `${found.backend}  ${found.namespace}${made}  ${SAID[found.action]}${error}`
    io.stdout.write(`${terminalText(line)}\n`)
  }
  for (const { backend, reason } of report.skipped) {
    io.stdout.write(`${terminalText(`${backend}: not looked at: ${reason}`)}\n`)
  }
  const count = (action: FoundNamespace['action']) =>
    report.namespaces.filter((found) => found.action === action).length
  io.stdout.write(
    `${count('removed')} removed, ${count('stale')} stale, ${count('too-recent') + count('age-unknown')} kept, ` +
      `${count('failed')} failed\n`,
  )
  return count('failed') > 0 ? EXIT.fail : EXIT.pass
}
