import { defineGroup } from '../core/define-check.js'
import { expectMissing, fail } from '../core/expect.js'
import { seedSessions } from './_seed.js'

/** clear() wipes the store: it only runs when the store was empty at the start (or --allow-clear). */
export const clearChecks = defineGroup('clear', [
  {
    id: 'clear.empties-store',
    level: 'optional',
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
    },
  },
])
