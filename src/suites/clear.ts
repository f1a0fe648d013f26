import { defineGroup } from '../core/define-check.js'
import { describeValue } from '../core/errors.js'
import { expectMissing, fail } from '../core/expect.js'
import { countListed } from '../core/listed-sessions.js'
import { seedSessions } from './_seed.js'

/** clear() wipes the store: it only runs when the store was empty at the start (or --allow-clear). */
export const clearChecks = defineGroup('clear', [
  {
    id: 'clear.empties-store',
    level: 'optional',
    levelReason: 'express-session never calls clear(); admin tools do',
    title: 'clear() removes every session in the store',
    impact: 'Sessions survive a clear(): "log everyone out" leaves users logged in.',
    requires: ['clear'],
    exclusive: true,
    destructive: true,
    async run(ctx) {
      const { liveSids } = await seedSessions(ctx, 3)
      await ctx.store.clear()
      for (const sid of liveSids) expectMissing(await ctx.store.get(sid), 'a session survived clear()')
      if (ctx.capabilities.length) {
        const count = await ctx.store.length()
        if (count !== 0) fail(`length() is ${count} after clear()`, { expected: '0', actual: String(count) })
      }
      if (ctx.capabilities.all) {
        const all = await ctx.store.all()
        const count = countListed(all)
        if (count !== 0)
          fail(`all() called back with ${describeValue(all, 80)} after clear()`, {
            expected: '{} or []',
            actual: describeValue(all, 80),
          })
      }
    },
  },
])
