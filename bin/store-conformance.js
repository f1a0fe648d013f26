#!/usr/bin/env node
import { runCli } from '../dist/src/cli/main.js'

// Turn Ctrl-C and termination into a normal exit, so 'exit' hooks stop the servers a run started.
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
])
  process.once(signal, () => process.exit(code))

const code = await runCli(process.argv.slice(2))
// Exit explicitly: a store that keeps a connection or timer open must not hang the CLI.
process.stdout.write('', () => process.exit(code))
