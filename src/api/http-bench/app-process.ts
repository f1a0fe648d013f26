/**
 * The HTTP bench's app: the same Express app (bench/http/app.ts) on one setup, in a process of
 * its own so the load generator never shares its event loop. Started by app-server.ts with the
 * config as its one argument; tells the parent its port over IPC, or why it could not start.
 * When the parent disconnects (it stopped the bench, or died), it closes the store — removing
 * the store's namespace — and exits. Never imported.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { loadAdapter } from '../../backends/index.js'
import { BackendUnavailableError } from '../../backends/unavailable.js'
import { type AppSession, benchApp } from '../../bench/http/app.js'
import type { AppConfig } from '../../bench/http/setups.js'
import { codeOf, firstLineOf } from '../../core/errors.js'
import { expressSession } from '../../core/express-session.js'
import { moduleAdapter } from '../bench-stores.js'
import { loadStoreModule, looksLikePath } from '../load-store.js'
import type { AppMessage } from './protocol.js'

const send = (message: AppMessage) => process.send?.(message)

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as AppConfig
  let close = async () => {}
  let session: AppSession
  const { setup } = config
  if (setup.kind === 'store') {
    const adapter = looksLikePath(setup.spec)
      ? moduleAdapter(await loadStoreModule(setup.spec, config.cwd))
      : await loadAdapter(setup.spec)
    const opened = await adapter.open({ session: expressSession, url: setup.url })
    close = () => opened.close()
    session = { kind: 'store', session: expressSession, store: opened.store }
  } else session = { kind: setup.kind }

  const server = createServer(benchApp(session, config.payloadBytes))
  // Longer than any window: autocannon's connections stay open for the whole window.
  server.keepAliveTimeout = 60_000
  let stopping = false
  const stop = async () => {
    if (stopping) return
    stopping = true
    server.closeAllConnections()
    server.close()
    await close().catch(() => {})
    process.exit(0)
  }
  process.on('disconnect', () => void stop())
  process.on('SIGTERM', () => void stop())
  server.listen(0, '127.0.0.1', () => send({ type: 'listening', port: (server.address() as AddressInfo).port }))
}

main().catch((error: unknown) => {
  send({
    type: 'failed',
    error: firstLineOf(error),
    code: codeOf(error),
    unavailable: error instanceof BackendUnavailableError,
  })
  process.exit(1)
})
