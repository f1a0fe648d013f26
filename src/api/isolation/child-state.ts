import { randomBytes } from 'node:crypto'
import type { Check, CheckResult, RunObserver, StoreInfo, StoreMethod } from '../../core/types.js'
import { isRecord, text, trustedResult, trustedStoreInfo } from './trusted.js'

interface CallInFlight {
  readonly checkId: string
  readonly method: StoreMethod
}

/** The store methods a call report may name (a record, so the compiler keeps it complete). */
const METHODS: Record<StoreMethod, true> = {
  get: true,
  set: true,
  destroy: true,
  touch: true,
  length: true,
  all: true,
  clear: true,
}
/** A store that somehow leaves this many calls unsettled is not worth tracking call by call. */
const MAX_CALLS_TRACKED = 10_000
const MAX_VIOLATIONS = 5

/**
 * What the parent knows of the store's process from its messages: which checks started and
 * finished, which store calls are in flight (to name the one running when it crashed), when it
 * last spoke and how much memory it held. Each message arrives signed (channel.ts) and is checked
 * against the parent's catalogue before it counts.
 */
export class ChildState {
  /** Signs the child's reports: sent to it before the store module loads. */
  readonly key = randomBytes(32).toString('hex')
  readonly results = new Map<string, CheckResult>()
  readonly started = new Set<string>()
  readonly calls = new Map<number, CallInFlight>()
  readonly violations: string[] = []
  ready = false
  /** What the child said about the store once it was created (namespace, backend), checked. */
  info: StoreInfo = {}
  readonly startedAt = Date.now()
  lastHeardAt = Date.now()
  /** The last report that was not a heartbeat: a store can keep the heart beating and still hang. */
  lastProgressAt = Date.now()
  rssBytes = 0
  report: unknown
  loadError: { code: unknown; message: string; stack: string | undefined } | undefined

  constructor(
    readonly checksById: ReadonlyMap<string, Check>,
    readonly observer: RunObserver & { onReady(info: StoreInfo): void },
  ) {}

  receive(message: unknown): void {
    this.lastHeardAt = Date.now()
    if (isRecord(message) && message.type !== 'beat') this.lastProgressAt = this.lastHeardAt
    if (!isRecord(message)) {
      this.violation('a report that is not an object arrived')
      return
    }
    switch (message.type) {
      case 'beat':
        this.rssBytes = typeof message.rssBytes === 'number' ? message.rssBytes : this.rssBytes
        return
      case 'ready':
        if (!this.ready) {
          this.ready = true
          this.info = trustedStoreInfo(message.info)
          this.observer.onReady(this.info)
        }
        return
      case 'check-start':
        if (typeof message.id === 'string' && this.checksById.has(message.id)) {
          this.started.add(message.id)
          this.observer.onCheckStart?.(message.id)
        }
        return
      case 'call':
        this.#callStarted(message)
        return
      case 'call-end':
        this.calls.delete(message.n as number)
        return
      case 'result':
        this.#result(message.result)
        return
      case 'report':
        this.report = message.report
        return
      case 'error':
        this.loadError = {
          code: message.code,
          message: text(message.message) ?? 'the store could not be run',
          stack: text(message.stack, 8000),
        }
        return
      default:
        this.violation(`an unknown message type arrived: ${text(String(message.type), 40)}`)
    }
  }

  /** The store call most recently started and not finished, or else the checks that were running. */
  runningCall(): string | undefined {
    const last = [...this.calls.values()].pop()
    if (last) return `${last.method}() in ${last.checkId}`
    const running = this.#unfinished()
    return running.length > 0 ? `check ${running.join(', ')}` : undefined
  }

  /** The check whose store call was running when the child died, or the only check that was. */
  culprit(): string | undefined {
    const last = [...this.calls.values()].pop()
    if (last) return last.checkId
    const running = this.#unfinished()
    return running.length === 1 ? running[0] : undefined
  }

  #unfinished(): string[] {
    return [...this.started].filter((id) => !this.results.has(id))
  }

  #callStarted(message: Readonly<Record<string, unknown>>): void {
    const { n, checkId, method } = message
    if (
      typeof n !== 'number' ||
      typeof checkId !== 'string' ||
      typeof method !== 'string' ||
      !Object.hasOwn(METHODS, method)
    ) {
      this.violation('a malformed call message arrived')
      return
    }
    if (this.calls.size >= MAX_CALLS_TRACKED) this.calls.delete(this.calls.keys().next().value as number)
    this.calls.set(n, { checkId: text(checkId, 100) as string, method: method as StoreMethod })
  }

  #result(raw: unknown): void {
    const id = isRecord(raw) ? raw.id : undefined
    const check = typeof id === 'string' ? this.checksById.get(id) : undefined
    const result = check && trustedResult(raw, check)
    if (!check || !result) this.violation(`a malformed result arrived (id ${text(String(id), 80)})`)
    else if (this.results.has(check.id)) this.violation(`a second result arrived for ${check.id}`)
    else {
      this.results.set(check.id, result)
      this.observer.onCheckResult?.(result)
    }
  }

  /** Something on the report pipe that is not a report of this run: counted once per kind, bounded. */
  violation(message: string): void {
    if (this.violations.length < MAX_VIOLATIONS && !this.violations.includes(message)) this.violations.push(message)
  }
}
