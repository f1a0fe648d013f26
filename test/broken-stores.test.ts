import { describe, expect, test } from 'vitest'
import { toProvider } from '../src/api/load-store.js'
import { runConformance } from '../src/api/run-conformance.js'
import type { SessionStore } from '../src/core/types.js'
import { checks } from '../src/suites/index.js'
import { type BrokenStore, brokenStores } from './stores/broken/index.js'

/** Short per-call timeout: some broken stores never call back. */
const TIMEOUT_MS = 500

/**
 * A check that cannot fail is a defect. Each broken store has one defect: the checks it names
 * must report it, and no other required check may fail (beyond the app-level views of the same
 * defect it lists as tolerated).
 */
describe.concurrent('every broken store is caught by the check it targets, and only by that one', () => {
  test.each(brokenStores.filter((store) => !store.alone).map((store) => [store.name, store] as const))(
    '%s',
    (_name, broken) => expectCaught(broken),
  )
})

/** After the concurrent ones, one at a time: what they let escape has no async context to trace. */
describe('broken stores whose defect can only be traced when their run is the process’s only one', () => {
  test.each(brokenStores.filter((store) => store.alone).map((store) => [store.name, store] as const))(
    '%s',
    (_name, broken) => expectCaught(broken),
  )
})

async function expectCaught(broken: BrokenStore): Promise<void> {
  const report = await runConformance({
    store: toProvider(broken.name, {
      create: broken.create,
      capabilities: broken.capabilities,
      upstream: broken.upstream,
      close: broken.close && ((store: SessionStore) => void broken.close?.(store)),
      outsideNamespace: broken.outsideNamespace,
    }),
    timeoutMs: broken.timeoutMs ?? TIMEOUT_MS,
    only: broken.only,
  })
  const status = (id: string) => report.results.find((result) => result.id === id)
  for (const id of broken.breaks) {
    expect(status(id), `${id} should catch: ${broken.defect}`).toMatchObject({ status: broken.status ?? 'fail' })
  }
  const tolerated = new Set([...broken.breaks, ...(broken.mayAlsoFail ?? [])])
  const unrelated = report.results.filter(
    (result) => result.status === 'fail' && result.level === 'required' && !tolerated.has(result.id),
  )
  expect(unrelated.map((result) => `${result.id}: ${result.message}`)).toEqual([])
}

test('every check in suites/ is broken by at least one store in the corpus', () => {
  const covered = new Set(brokenStores.flatMap((store) => store.breaks))
  expect(checks.map((check) => check.id).filter((id) => !covered.has(id))).toEqual([])
})

test('broken store names are unique and their targets are real check ids', () => {
  const names = brokenStores.map((store) => store.name)
  expect(new Set(names).size).toBe(names.length)
  const ids = new Set(checks.map((check) => check.id))
  expect(
    brokenStores.flatMap((store) => [...store.breaks, ...(store.mayAlsoFail ?? [])]).filter((id) => !ids.has(id)),
  ).toEqual([])
})
