import { boundText } from '../../core/bounded.js'
import type {
  Check,
  CheckResult,
  CheckStatus,
  ResolvedCapabilities,
  RunProblem,
  RunProblemKind,
  SkipReason,
  StoreInfo,
  StoreTiming,
} from '../../core/types.js'

/**
 * Turns what the store's process sent into report data built from this process's own
 * definitions: the check's id, group, level, title and impact come from the catalogue here; from
 * the child only a status, bounded texts and numbers, each checked. Anything else is rejected, so
 * a store that patched built-ins in its process cannot shape the report.
 */

type Untrusted = Readonly<Record<string, unknown>>

/** Every status and skip reason, as records so the compiler says when the types gain one. */
const STATUSES: Record<CheckStatus, true> = { pass: true, warn: true, fail: true, skip: true }
const SKIP_REASONS: Record<SkipReason, true> = {
  capability: true,
  filtered: true,
  unsafe: true,
  'not-runnable': true,
  unavailable: true,
  interrupted: true,
  'backend-fault': true,
  inconclusive: true,
  prerequisite: true,
  'no-faults': true,
}
/** Problems the child itself may report; the parent adds the rest (exits, memory, hangs). */
const CHILD_PROBLEMS = new Set<RunProblemKind>([
  'event-loop-blocked',
  'tampered',
  'interrupted',
  'run-aborted',
  'backend-fault',
])

export function isRecord(value: unknown): value is Untrusted {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A bounded string, or undefined for anything that is not a string. */
export function text(value: unknown, max?: number): string | undefined {
  return typeof value === 'string' ? boundText(value, max) : undefined
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.round(value) : 0
}

/** The child's result for `check`, rebuilt; undefined when it is not a well-formed result. */
export function trustedResult(raw: unknown, check: Check): CheckResult | undefined {
  if (!isRecord(raw) || raw.id !== check.id || typeof raw.status !== 'string' || !Object.hasOwn(STATUSES, raw.status)) {
    return undefined
  }
  const base = {
    id: check.id,
    group: check.group,
    level: check.level,
    title: check.title,
    durationMs: count(raw.durationMs),
  }
  const message = text(raw.message)
  switch (raw.status) {
    case 'pass':
      return message === undefined ? { ...base, status: 'pass' } : { ...base, status: 'pass', message }
    case 'warn':
      return { ...base, status: 'warn', message: message ?? '' }
    case 'skip': {
      const reason = raw.reason as SkipReason
      return Object.hasOwn(SKIP_REASONS, reason)
        ? { ...base, status: 'skip', reason, message: message ?? '' }
        : undefined
    }
    default:
      return {
        ...base,
        status: 'fail',
        message: message ?? '',
        expected: text(raw.expected),
        actual: text(raw.actual),
        impact: text(raw.impact) ?? check.impact,
      }
  }
}

export function trustedCapabilities(raw: unknown): ResolvedCapabilities {
  const value = isRecord(raw) ? raw : {}
  const granularity = value.ttlGranularityMs
  return {
    touch: value.touch === true,
    length: value.length === true,
    all: value.all === true,
    clear: value.clear === true,
    ttlGranularityMs: typeof granularity === 'number' && Number.isFinite(granularity) ? granularity : undefined,
  }
}

export function trustedTiming(raw: unknown): StoreTiming | undefined {
  if (!isRecord(raw)) return undefined
  const source = raw.granularitySource
  if (source !== 'declared' && source !== 'detected' && source !== 'assumed') return undefined
  return {
    granularityMs: count(raw.granularityMs),
    granularitySource: source,
    latencyMs: count(raw.latencyMs),
    slackMs: count(raw.slackMs),
  }
}

/** What the child says about the store under test: strings only, each bounded. */
export function trustedStoreInfo(raw: unknown): StoreInfo {
  if (!isRecord(raw)) return {}
  const backend = isRecord(raw.backend) ? raw.backend : undefined
  const pinned = isRecord(raw.pinned)
    ? Object.fromEntries(
        Object.entries(raw.pinned).flatMap(([key, value]) =>
          typeof value === 'string' ? [[text(key, 100) as string, text(value, 300) as string]] : [],
        ),
      )
    : undefined
  return {
    package: text(raw.package, 200),
    version: text(raw.version, 100),
    pinned,
    isolation: text(raw.isolation, 300),
    backend:
      backend && typeof backend.kind === 'string'
        ? {
            kind: text(backend.kind, 50) as string,
            source: text(backend.source, 50),
            version: text(backend.version, 100),
            envVar: text(backend.envVar, 50),
          }
        : undefined,
    namespace: text(raw.namespace, 300),
  }
}

export function trustedStrings(raw: unknown, limit = 20): string[] | undefined {
  if (!Array.isArray(raw)) return undefined
  const strings = raw.slice(0, limit).flatMap((entry) => (typeof entry === 'string' ? [boundText(entry)] : []))
  return strings.length > 0 ? strings : undefined
}

export function trustedProblems(raw: unknown): RunProblem[] {
  if (!Array.isArray(raw)) return []
  return raw.slice(0, 20).flatMap((entry) => {
    if (!isRecord(entry) || !CHILD_PROBLEMS.has(entry.kind as RunProblemKind)) return []
    return [{ kind: entry.kind as RunProblemKind, message: text(entry.message) ?? '' }]
  })
}
