import { defineGroup } from '../core/define-check.js'
import { fail } from '../core/expect.js'
import { seedSessions } from './_seed.js'

/** length(): optional; express-session never calls it, but admin pages and metrics do. */
export const lengthChecks = defineGroup('length', [
  {
    id: 'length.counts-live',
    level: 'optional',
    levelReason: 'express-session never calls length(); dashboards do',
    title: 'length() counts live sessions and not expired ones',
    impact: 'Dashboards and limits built on store.length() count sessions that no longer work.',
    requires: ['length'],
    exclusive: true,
    async run(ctx) {
      const before = await ctx.store.length()
      await seedSessions(ctx, 3)
      const after = await ctx.store.length()
      if (after - before !== 3) {
        fail(`length() went from ${before} to ${after} after adding 3 live sessions and 1 expired one`, {
          expected: `${before + 3}`,
          actual: `${after}${after - before === 4 ? ' (the expired session is counted)' : ''}`,
        })
      }
    },
  },
  {
    id: 'length.empty-store',
    level: 'optional',
    levelReason: 'express-session never calls length(); dashboards do',
    title: 'length() of an empty store calls back with 0 and no error',
    impact: 'A dashboard or a session limit built on store.length() fails whenever no one is logged in.',
    requires: ['length'],
    emptyStore: true,
    async run(ctx) {
      const count = await ctx.store.length()
      if (count > 0) ctx.note(`the store held ${count} session(s) before the run: only the answer's type was judged`)
    },
  },
])
