import { defineGroup } from '../core/define-check.js'
import { expectData, expectEqual, expectSession, fail } from '../core/expect.js'

/** "added x to", "removed y from", or both: what a method did to the keys of the session it was given. */
function changes(added: readonly string[], removed: readonly string[]): string {
  const parts = [
    added.length > 0 && `added ${added.join(', ')} to`,
    removed.length > 0 && `removed ${removed.join(', ')} from`,
  ]
  return parts.filter(Boolean).join(' and ')
}

/** The stored copy and the caller's objects must not share state. */
export const isolationChecks = defineGroup('isolation', [
  {
    id: 'isolation.set-input-mutation',
    level: 'required',
    levelReason: 'unsaved edits leak into the store: stored data is corrupted',
    title: 'changing the object given to set() afterwards does not change what is stored',
    impact:
      'The stored session changes without set(): unsaved edits leak into the store and other requests see ' +
      'half-finished state.',
    async run(ctx) {
      const sid = ctx.newSid()
      const session = ctx.session(sid, { profile: { name: 'ada' }, tags: ['a'] })
      await ctx.store.set(sid, session)
      ;(session.profile as { name: string }).name = 'mallory'
      ;(session.tags as string[]).push('b')
      session.added = true
      const stored = expectSession(await ctx.store.get(sid), 'get() returned nothing after set()')
      expectData(
        stored,
        { profile: { name: 'ada' }, tags: ['a'] },
        'the stored session followed later changes to the object passed to set()',
        { forbid: ['added'] },
      )
    },
  },
  {
    id: 'isolation.get-result-mutation',
    level: 'required',
    levelReason: 'unsaved edits become visible to every request: stored data is corrupted',
    title: 'changing the object get() returned does not change what is stored',
    impact:
      'express-session mutates what get() returns (it replaces the cookie and the app edits req.session): unsaved ' +
      'edits become visible to every other request.',
    async run(ctx) {
      const sid = ctx.newSid()
      await ctx.store.set(sid, ctx.session(sid, { profile: { name: 'ada' }, tags: ['a'] }))
      const first = expectSession(await ctx.store.get(sid), 'get() returned nothing after set()')
      ;(first.profile as { name: string }).name = 'mallory'
      ;(first.tags as string[]).push('b')
      first.added = true
      delete first.cookie
      const second = expectSession(await ctx.store.get(sid), 'get() returned nothing the second time')
      expectData(
        second,
        { profile: { name: 'ada' }, tags: ['a'] },
        'changes to one get() result showed up in the next get()',
        { forbid: ['added'] },
      )
      if (second.cookie === undefined) {
        fail('deleting cookie from one get() result removed it from the store', {
          expected: 'the stored cookie',
          actual: 'no cookie',
        })
      }
    },
  },
  {
    id: 'isolation.input-not-mutated',
    level: 'required',
    levelReason: 'fields appear in or vanish from req.session under the app',
    title: 'set() and touch() leave the session they are given unchanged',
    impact:
      'The object is req.session: fields the store adds or removes show up in application code, and ' +
      'express-session sees a changed session and saves it again.',
    async run(ctx) {
      const sid = ctx.newSid()
      const session = ctx.session(sid, { user: 'ada', nested: { list: [1, 2] } })
      const snapshot = () => ({ keys: Reflect.ownKeys(session).map(String), json: JSON.stringify(session) })
      const before = snapshot()
      const expectUnchanged = (method: string) => {
        const after = snapshot()
        const added = after.keys.filter((key) => !before.keys.includes(key))
        const removed = before.keys.filter((key) => !after.keys.includes(key))
        if (added.length > 0 || removed.length > 0) {
          fail(`${method} ${changes(added, removed)} the session it was given`, {
            expected: `keys ${before.keys.join(', ')}`,
            actual: `keys ${after.keys.join(', ')}`,
          })
        }
        expectEqual(
          JSON.parse(after.json),
          JSON.parse(before.json),
          `${method} changed the session object it was given`,
        )
      }
      await ctx.store.set(sid, session)
      expectUnchanged('set()')
      if (ctx.capabilities.touch) {
        await ctx.store.touch(sid, session)
        expectUnchanged('touch()')
      }
    },
  },
])
