import { defineGroup } from '../core/define-check.js'
import { describeValue } from '../core/errors.js'
import { fail } from '../core/expect.js'
import { countListed } from '../core/listed-sessions.js'
import { seedSessions } from './_seed.js'

type AllShape = 'object map' | 'array with ids' | 'array without ids'

/** all() comes in two shapes in the wild; both are accepted and the one in use is reported. */
function entriesOf(
  all: unknown,
): { shape: AllShape; sessions: { id: string | undefined; session: Record<string, unknown> }[] } | undefined {
  if (Array.isArray(all)) {
    const sessions = all.map((session: Record<string, unknown>) => ({
      id: typeof session?.id === 'string' ? session.id : undefined,
      session,
    }))
    return {
      shape:
        sessions.every((entry) => entry.id !== undefined) && sessions.length > 0
          ? 'array with ids'
          : 'array without ids',
      sessions,
    }
  }
  if (all && typeof all === 'object') {
    return {
      shape: 'object map',
      sessions: Object.entries(all).map(([id, session]) => ({ id, session: session as Record<string, unknown> })),
    }
  }
  return undefined
}

export const allChecks = defineGroup('all', [
  {
    id: 'all.lists-live',
    level: 'optional',
    levelReason: 'express-session never calls all(); admin tools do',
    title: 'all() lists every live session and no expired one, as an object map or an array',
    impact: 'Admin tools built on store.all() miss sessions or show ones that no longer work.',
    requires: ['all'],
    exclusive: true,
    async run(ctx) {
      const { marker, liveSids } = await seedSessions(ctx, 2)
      const all = await ctx.store.all()
      const parsed = entriesOf(all)
      if (!parsed)
        fail(`all() called back with ${describeValue(all, 80)}`, {
          expected: 'an object map or an array of sessions',
          actual: describeValue(all, 80),
        })
      const ours = parsed.sessions.filter((entry) => entry.session && entry.session.marker === marker)
      const indexes = ours.map((entry) => entry.session.index).sort()
      if (indexes.includes(-1))
        fail('all() listed an expired session', {
          expected: 'live sessions only',
          actual: `indexes ${indexes.join(', ')} (-1 is expired)`,
        })
      if (ours.length !== liveSids.length)
        fail(`all() listed ${ours.length} of the ${liveSids.length} live sessions just set`, {
          expected: `${liveSids.length}`,
          actual: `${ours.length}`,
        })
      if (
        parsed.shape !== 'array without ids' &&
        !ours.every((entry) => liveSids[entry.session.index as number] === entry.id)
      ) {
        fail('all() paired sessions with the wrong ids', {
          expected: liveSids.join(', '),
          actual: ours.map((entry) => entry.id).join(', '),
        })
      }
      ctx.note(`shape: ${parsed.shape}`)
    },
  },
  {
    id: 'all.empty-store',
    level: 'optional',
    levelReason: 'express-session never calls all(); admin tools do',
    title:
      'all() of an empty store calls back with {} or [] and no error (clear.empties-store asks again after clear())',
    impact:
      'An admin page or a metrics job built on store.all() fails whenever no one is logged in: a multi-get ' +
      'with no keys errors instead of returning nothing.',
    requires: ['all'],
    emptyStore: true,
    async run(ctx) {
      const all = await ctx.store.all()
      const count = countListed(all)
      if (count === undefined)
        fail(`all() of an empty store called back with ${describeValue(all, 80)}`, {
          expected: '{} or []',
          actual: describeValue(all, 80),
        })
      if (count > 0) ctx.note(`the store held ${count} session(s) before the run: only the shape was judged`)
    },
  },
])
