// The CLI as bin/store-conformance.js runs it, from source: for tests that send it real signals.
import { runCli } from '../../src/cli/main.js'

const code = await runCli(process.argv.slice(2))
process.stdout.write('', () => process.exit(code))
