import { Pool } from 'undici'
import { type OpenLoopMeasurement, openLoop } from '../open-loop.js'
import type { HttpScenario } from './scenarios.js'

export interface OpenLoadOptions {
  readonly ratePerSec: number
  readonly durationMs: number
  /** Sessions of signed-in users: request i carries cookie i mod their number. */
  readonly cookies?: readonly string[]
  /** Keep-alive connections to spread requests over; past them requests queue and wait, as users would. @default 64 */
  readonly connections?: number
  readonly timeoutMs: number
}

/** Whether a scenario can be offered at a constant rate: each request stands alone (no cookie carried over). */
export function isOpenLoopScenario(scenario: HttpScenario): boolean {
  return scenario.requests.every((request) => !request.setupRequest && !request.onResponse)
}

/**
 * One window of open-loop HTTP load: the scenario's requests in turn at a constant arrival rate
 * (open-loop.ts), each timed from when it was due, sent with undici over keep-alive connections.
 * autocannon's rate limit is per connection per second, and it times from when a request could be
 * sent: a stalled server would be charged for the requests in flight only.
 */
export async function openLoadWindow(
  url: string,
  scenario: HttpScenario,
  options: OpenLoadOptions,
): Promise<OpenLoopMeasurement> {
  if (!isOpenLoopScenario(scenario)) throw new RangeError(`${scenario.name} carries state between requests`)
  const pool = new Pool(url, {
    connections: options.connections ?? 64,
    pipelining: 1,
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
  })
  const cookies = scenario.signedIn ? (options.cookies ?? []) : []
  try {
    return await openLoop(
      async (index) => {
        const request = scenario.requests[index % scenario.requests.length] as HttpScenario['requests'][number]
        const cookie = cookies[index % Math.max(1, cookies.length)]
        const response = await pool.request({
          method: request.method ?? 'GET',
          path: request.path ?? '/',
          headers: cookie ? { cookie } : {},
        })
        await response.body.dump()
        if (response.statusCode >= 300) throw new Error(`a request was answered ${response.statusCode}`)
      },
      { ratePerSec: options.ratePerSec, durationMs: options.durationMs, stallMs: options.timeoutMs },
    )
  } finally {
    await pool.close()
  }
}
