import { describe, expect, test } from 'vitest'
import { adapterProvider } from '../src/api/adapter-provider.js'
import { isRequired, requiredList } from '../src/api/required.js'
import { runConformance } from '../src/api/run-conformance.js'
import { builtinAdapterNames, loadAdapter } from '../src/backends/index.js'
import type { CheckResult, CheckStatus } from '../src/core/types.js'

/**
 * What each real store does, as confirmed against its source and the contract reference. Only
 * non-passing checks are listed; everything else must pass. A change here is either a
 * regression in our checks or a change in the store, and should be looked at as such.
 */
const expected: Record<string, Record<string, CheckStatus>> = {
  memory: {},
  memorystore: {
    'length.counts-live': 'fail', // itemCount includes stale LRU entries
  },
  file: {
    'get.miss-returns-nothing': 'warn', // ENOENT error on a miss
    'set.any-sid-characters': 'fail', // sid used as a file path: "/" fails with ENOENT
    'isolation.input-not-mutated': 'fail', // writes __lastAccess into req.session
    'ttl.past-expiry-not-returned': 'fail', // expiry = __lastAccess + originalMaxAge, ignores cookie.expires
    'serialization.no-bookkeeping-leak': 'fail', // __lastAccess comes back
    'touch.missing-no-error': 'fail', // ENOENT from touch of a missing file
    'length.counts-live': 'fail', // counts files, expired ones included
    'touch.does-not-revive-expired': 'skip', // prerequisite: it returns the expired session before touch()
    'touch.does-not-revive-naturally-expired': 'fail', // touch() renews an expired file not yet reaped
    'safety.hostile-ids': 'fail', // path.join(dir, sid + '.json'): ../ in an id writes outside the directory
    'all.lists-live': 'skip', // no all()
    'all.empty-store': 'skip',
  },
  redis: {
    'callbacks.callback-throws': 'fail', // callbacks run inside try; the catch calls them again
    'touch.updates-stored-cookie': 'fail', // touch is EXPIRE only
    'express.remember-me-survives': 'skip', // prerequisite: the next request loads the old maxAge
    'resilience.stall-calls-back': 'fail', // node-redis has no command timeout: a stalled server holds every call
  },
  postgres: {
    'callbacks.callback-throws': 'fail', // get's callback runs inside the try that destroys the row on a parse error
    'touch.updates-stored-cookie': 'fail', // touch updates the expire column only
    'express.remember-me-survives': 'skip', // prerequisite: the next request loads the old maxAge
    'touch.does-not-revive-expired': 'fail', // ...which revives an expired row not yet pruned
    'touch.does-not-revive-naturally-expired': 'fail', // ...whichever way it expired
    'resilience.stall-calls-back': 'fail', // pg has no query timeout by default: a stalled server holds every call
    'length.counts-live': 'skip',
    'length.empty-store': 'skip',
    'all.lists-live': 'skip',
    'all.empty-store': 'skip',
    'clear.empties-store': 'skip',
  },
  mysql: {
    'callbacks.callback-throws': 'fail', // promise.then(cb).catch(cb)
    'touch.updates-stored-cookie': 'fail', // touch updates the expires column only
    'express.remember-me-survives': 'skip', // prerequisite: the next request loads the old maxAge
    'touch.does-not-revive-expired': 'fail', // ...which revives an expired row not yet cleared
    'touch.does-not-revive-naturally-expired': 'fail', // ...whichever way it expired
    'ttl.long-lifetimes': 'fail', // expires is INT UNSIGNED: 100 years (2126) is out of range, set() errors
    'resilience.stall-calls-back': 'fail', // mysql2 has no query timeout by default: a stalled server holds every call
    // 16 MiB is refused (max_allowed_packet), and the pool then hands the next call the connection the server closed
    'safety.huge-session': 'fail',
  },
  memcached: {
    'set.any-sid-characters': 'fail', // memcached keys cannot contain whitespace
    // With its server killed, the memcached client's calls wait until it is back (answered after the restart)...
    'resilience.down-calls-back': 'fail',
    'resilience.stall-calls-back': 'fail', // ...or stalled
    'resilience.app-answers-during-outage': 'fail', // ...and after an error it waits `retry` (30 s) to try again
    'callbacks.callback-throws': 'fail', // the client calls back again with the error
    'touch.keeps-data': 'fail', // touch() is set()
    'touch.missing-not-created': 'fail', // ...so it creates missing sessions
    'touch.does-not-revive-expired': 'fail', // ...and revives expired ones
    'touch.does-not-revive-naturally-expired': 'fail', // ...whichever way they expired
    'races.touch-keeps-concurrent-write': 'fail', // ...so a late touch writes stale data over a save
    'races.logout-not-undone-by-touch': 'fail', // ...and brings a logged-out session back
    'ttl.sub-second-expires': 'fail', // (maxAge / 1000) | 0 = 0 seconds: memcached keeps it forever
    'ttl.long-lifetimes': 'fail', // ... | 0 wraps negative past 2³¹ s: the session is gone at once
    'length.counts-live': 'fail', // length() is the server's item stats, not a count
    'length.empty-store': 'fail', // ...an array of stats, not 0
    'all.lists-live': 'skip', // no all()
    'all.empty-store': 'skip',
    'clear.empties-store': 'skip', // clear() flushes the whole server: never run (cannot tell it is empty)
  },
}

const required = requiredList([])

const HEAVY_SERVERS = new Set(['postgres', 'mysql'])

describe.concurrent('each built-in store on a real backend gives its known outcome', () => {
  test.for(builtinAdapterNames)('%s', async (name, context) => {
    const adapter = await loadAdapter(name)
    const report = await runConformance({
      // A private PostgreSQL or MariaDB for the fault checks costs seconds of initdb beside the other
      // stores' timed checks: here those two are faulted through the proxy (local-servers.test.ts and
      // the matrix exercise their signals); redis and memcached start their own in a tenth of a second.
      store: adapterProvider(adapter, { faults: HEAVY_SERVERS.has(name) ? 'proxy' : undefined }),
      require: isRequired(required, name, adapter.backend),
    })
    if (report.store.unavailable) {
      expect(report.store.required, `${name} is required here: ${report.store.unavailable}`).toBe(false)
      context.skip(report.store.unavailable)
    }
    // An in-process store has no backend to fail: its fault checks say so (checked here), never pass.
    const noBackend = (result: CheckResult) =>
      !adapter.backend && result.status === 'skip' && result.reason === 'no-faults'
    const faultChecks = report.results.filter((result) => result.group === 'resilience')
    if (!adapter.backend) expect(faultChecks.filter((result) => !noBackend(result))).toEqual([])
    const outcome = Object.fromEntries(
      report.results
        .filter((result) => result.status !== 'pass' && !noBackend(result))
        .map((result) => [result.id, result.status]),
    )
    // On a mismatch, what each unexpected result said: a flaky verdict must be diagnosable from the CI log.
    const said = report.results
      .filter((result) => outcome[result.id] !== undefined && expected[name]?.[result.id] !== result.status)
      .map((result) => `${result.id}: ${'message' in result ? result.message : ''}`)
    expect(outcome, said.join('\n')).toEqual(expected[name] ?? {})
    expect(report.strayErrors ?? []).toEqual([])
    if (adapter.backend)
      expect(report.store.backend).toMatchObject({
        kind: adapter.backend,
        source: expect.any(String),
        version: expect.any(String),
      })
  })
})
