import { RedisBackedStore, redisBackedModule } from '../correct/redis-backed-store.js'
import type { Callback } from '../correct/reference-store.js'
import { type BrokenStore, brokenStore } from './broken-store.js'

/**
 * Stores on a real Redis whose one defect shows only when the backend fails: the fault checks put
 * a proxy between them and Redis (they declare `upstream` and honour `connectTo`, as a user's
 * module would). Each imitates a store seen in the wild.
 */
function onRedis(entry: Omit<BrokenStore, 'create' | 'upstream' | 'capabilities'>, Store: typeof RedisBackedStore) {
  const module = redisBackedModule(Store)
  return brokenStore({
    only: ['resilience', 'callbacks'],
    timeoutMs: 1500,
    ...entry,
    ...module,
    create: (session, options) => module.create(session as never, options),
  })
}

/** The rest of the group fails too when calls never answer or errors escape. */
const REST = [
  'resilience.down-calls-back',
  'resilience.failed-write-not-acknowledged',
  'resilience.recovers',
  'resilience.recovers-after-stall',
  'resilience.readiness-restored',
  'resilience.app-answers-during-outage',
]
const except = (...ids: string[]) => REST.filter((id) => !ids.includes(id))

export const resilienceBroken: readonly BrokenStore[] = [
  onRedis(
    {
      name: 'loses-callback-on-backend-error',
      defect:
        'a query error skips the callback and becomes an unhandled rejection (connect-pg-simple #179/#180, ' +
        'connect-session-knex)',
      breaks: ['resilience.down-calls-back'],
      mayAlsoFail: except('resilience.down-calls-back'),
    },
    class extends RedisBackedStore {
      override run<T>(
        command: () => Promise<T>,
        callback: Callback | undefined,
        map: (value: T) => unknown = () => undefined,
      ) {
        void this.connected.then(command).then((value) => callback?.(null, map(value)))
      }
    },
  ),
  onRedis(
    {
      name: 'acknowledges-failed-writes',
      defect: 'set() swallows the backend error and calls back with success (connect-pg-simple #150)',
      breaks: ['resilience.failed-write-not-acknowledged'],
    },
    class extends RedisBackedStore {
      override set(sid: string, sess: Parameters<RedisBackedStore['set']>[1], callback?: Callback): void {
        super.set(sid, sess, () => callback?.(null))
      }
    },
  ),
  onRedis(
    {
      name: 'never-recovers',
      defect: 'after one backend error the store closes its client for good (a TypeORM store seen in the wild)',
      breaks: ['resilience.recovers'],
      mayAlsoFail: except('resilience.recovers'),
    },
    class extends RedisBackedStore {
      override onClientError(error: Error): void {
        super.onClientError(error)
        if (this.client.isOpen) this.client.destroy()
      }
    },
  ),
  onRedis(
    {
      name: 'throws-from-driver-event',
      alone: true,
      defect:
        "re-emits the client's errors as its own 'error' event, which express-session does not listen to: " +
        'EventEmitter throws it, an uncaught exception that kills the app (connect-redis #107)',
      breaks: ['resilience.down-calls-back'],
      mayAlsoFail: except('resilience.down-calls-back'),
    },
    class extends RedisBackedStore {
      override onClientError(error: Error): void {
        super.onClientError(error)
        // Off the client's own stack, as a store's promise chain or timer would.
        queueMicrotask(() => this.emit('error', error))
      }
    },
  ),
  onRedis(
    {
      name: 'disconnect-without-connect',
      defect: "emits 'disconnect' when the backend goes away and never 'connect' when it is back",
      breaks: ['resilience.readiness-restored', 'resilience.app-answers-during-outage'],
    },
    class extends RedisBackedStore {
      override emit(event: string | symbol, ...args: unknown[]): boolean {
        if (event === 'connect') return false
        return super.emit(event, ...args)
      }
    },
  ),
  onRedis(
    {
      name: 'hangs-while-stalled',
      defect: 'no command timeout: a stalled backend holds every call for as long as it stalls (node-redis default)',
      breaks: ['resilience.stall-calls-back'],
    },
    class extends RedisBackedStore {
      override run<T>(
        command: () => Promise<T>,
        callback: Callback | undefined,
        map: (value: T) => unknown = () => undefined,
      ) {
        this.connected.then(command).then(
          (value) => callback?.(null, map(value)),
          (error: unknown) => callback?.(error),
        )
      }
    },
  ),
  onRedis(
    {
      name: 'breaker-never-closes',
      defect:
        'a circuit breaker that opens on the first timed-out command and never tries again: a stalled ' +
        'backend leaves the store refusing every call once it answers',
      breaks: ['resilience.recovers-after-stall'],
    },
    class extends RedisBackedStore {
      #open = false
      override run<T>(
        command: () => Promise<T>,
        callback: Callback | undefined,
        map: (value: T) => unknown = () => undefined,
      ) {
        if (this.#open)
          return void setImmediate(() => callback?.(new Error('circuit open: the store gave up on redis')))
        super.run(
          command,
          (error, value) => {
            if (error instanceof Error && /did not answer/.test(error.message)) this.#open = true
            callback?.(error, value)
          },
          map,
        )
      }
    },
  ),
  onRedis(
    {
      name: 'double-callback-on-backend-error',
      defect: 'calls back twice when the backend fails: once from the query, once from its catch (a SQLite store)',
      breaks: ['callbacks.exactly-once'],
    },
    class extends RedisBackedStore {
      override run<T>(
        command: () => Promise<T>,
        callback: Callback | undefined,
        map: (value: T) => unknown = () => undefined,
      ) {
        super.run(
          command,
          (error, value) => {
            callback?.(error, value)
            if (error) callback?.(error)
          },
          map,
        )
      }
    },
  ),
]
