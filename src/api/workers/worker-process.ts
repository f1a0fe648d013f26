/**
 * One load worker of `bench --workers`: opens the store (and its backend's raw client) in a
 * process of its own, seeds a pool of sessions in its own namespace, then measures a window of
 * the operation whenever the parent asks, all workers at once. When the parent disconnects it
 * removes what it wrote, closes the store and exits. Started by worker-pool.ts; never imported.
 */
import { loadAdapter, openRawBaseline } from '../../backends/index.js'
import { BackendUnavailableError } from '../../backends/unavailable.js'
import { measure } from '../../bench/measure.js'
import { prepareOperation } from '../../bench/operations.js'
import { Workspace } from '../../bench/workspace.js'
import { firstLineOf } from '../../core/errors.js'
import { expressSession } from '../../core/express-session.js'
import { storeCalls } from '../../core/store-calls.js'
import type { WorkerCommand, WorkerConfig, WorkerMessage } from './protocol.js'

const send = (message: WorkerMessage) => process.send?.(message)

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as WorkerConfig
  const adapter = await loadAdapter(config.spec)
  const opened = await adapter.open({ session: expressSession, url: config.url })
  const raw = await openRawBaseline(config.spec, opened).catch(() => undefined)
  const workspace = (calls: Workspace['calls']) =>
    new Workspace({
      calls,
      store: opened.store,
      expressSession,
      payloadBytes: config.payloadBytes,
      poolSize: config.poolSize,
    })
  const spaces = { store: workspace(storeCalls(opened.store)), raw: raw && workspace(raw) }
  const prepared = {
    store: await prepareOperation(config.operation, spaces.store),
    raw: spaces.raw && (await prepareOperation(config.operation, spaces.raw)),
  }
  let stopping = false
  const stop = async () => {
    if (stopping) return
    stopping = true
    await spaces.store.cleanup().catch(() => {})
    await spaces.raw?.cleanup().catch(() => {})
    await raw?.close().catch(() => {})
    await opened.close().catch(() => {})
    process.exit(0)
  }
  process.on('disconnect', () => void stop())
  process.on('message', (command: WorkerCommand) => {
    if (command.type === 'stop') return void stop()
    const operation = prepared[command.target]
    if (!operation) return send({ type: 'failed', error: `${config.spec} has no raw baseline`, unavailable: false })
    measure(`${config.spec} ${config.operation}`, operation.fn, {
      timeMs: command.durationMs,
      concurrency: config.concurrency,
      warmupMs: command.warmupMs,
      collectGarbage: true,
      stallMs: config.stallMs,
      beforeEach: operation.beforeEach,
    }).then(
      (measurement) => send({ type: 'measured', measurement }),
      (error: unknown) => send({ type: 'failed', error: firstLineOf(error), unavailable: false }),
    )
  })
  send({ type: 'ready', hasRaw: raw !== undefined })
}

main().catch((error: unknown) => {
  send({ type: 'failed', error: firstLineOf(error), unavailable: error instanceof BackendUnavailableError })
  process.exit(1)
})
