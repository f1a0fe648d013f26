#!/usr/bin/env node
import { runCli } from '../dist/src/cli/main.js'

const code = await runCli(process.argv.slice(2))
// Exit explicitly: a store that keeps a connection or timer open must not hang the CLI.
process.stdout.write('', () => process.exit(code))
