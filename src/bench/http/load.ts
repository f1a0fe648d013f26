import type { EventEmitter } from 'node:events'
import { performance } from 'node:perf_hooks'
import autocannon, { type Client } from 'autocannon'
import { latencyFigures } from '../latency.js'
import type { Measurement } from '../measure.js'
import type { HttpScenario } from './scenarios.js'

export interface LoadOptions {
  /** Connections, each one request in flight (a closed loop). */
  readonly connections: number
  readonly durationMs: number
  /** One session cookie per connection, for scenarios of a signed-in user. */
  readonly cookies?: readonly string[]
  /** A request that takes longer fails the window (ms). */
  readonly timeoutMs: number
}

/**
 * One window of HTTP load from autocannon (mcollina's: keep-alive connections, pipelining off,
 * HDR histograms): `connections` each sending the scenario's requests in turn for `durationMs`.
 * autocannon's own histogram rounds to whole milliseconds, too coarse for a loopback request;
 * latencies are taken from its per-response event instead (high-resolution, in ms) into an HDR
 * histogram of our own. A window with any error or non-2xx answer throws: a setup that fails
 * under load is a finding, not a number.
 */
export async function loadWindow(url: string, scenario: HttpScenario, options: LoadOptions): Promise<Measurement> {
  const latencies: number[] = []
  let connection = 0
  const started = performance.now()
  // Without a callback autocannon returns its tracker, an EventEmitter that is also a promise of the result.
  const tracker = autocannon({
    url,
    connections: options.connections,
    duration: options.durationMs / 1000,
    // autocannon checks its stop at each sample tick, 1 s by default: every window would last a second.
    sampleInt: 20,
    timeout: Math.max(1, Math.ceil(options.timeoutMs / 1000)),
    requests: scenario.requests as autocannon.Request[],
    setupClient: (client: Client) => {
      const cookie = options.cookies?.[connection++ % Math.max(1, options.cookies.length)]
      if (scenario.signedIn && cookie) client.setHeaders({ cookie })
    },
  }) as unknown as Promise<autocannon.Result> & EventEmitter
  tracker.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) =>
    latencies.push(responseTime),
  )
  const result = await tracker
  const wallMs = performance.now() - started
  const failed = result.errors + result.timeouts + result.non2xx
  if (failed > 0) {
    const codes = Object.keys(result.statusCodeStats ?? {}).filter((code) => !code.startsWith('2'))
    const status = codes.length > 0 ? `, status ${codes.join(', ')}` : ''
    throw new Error(
      `${failed} of ${result.requests.sent} requests failed ` +
        `(${result.errors} connection errors, ${result.timeouts} timeouts${status})`,
    )
  }
  return {
    latency: latencyFigures(latencies),
    concurrency: options.connections,
    wallMs,
    busyMs: wallMs,
    opsPerSec: latencies.length / (wallMs / 1000),
    gc: { count: 0, totalMs: 0 },
  }
}
