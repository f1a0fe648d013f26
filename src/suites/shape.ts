import { defineGroup } from '../core/define-check.js'
import { fail } from '../core/expect.js'

/** Is the object usable by express-session at all? Probed by behaviour, never by instanceof. */
export const shapeChecks = defineGroup('shape', [
  {
    id: 'shape.event-emitter',
    level: 'required',
    levelReason: 'session({ store }) throws at start-up: nothing works',
    title: 'the store is an EventEmitter: express-session subscribes with store.on() when the middleware is built',
    impact: 'session({ store }) throws "store.on is not a function" at start-up (expressjs/session#110).',
    async run(ctx) {
      if (typeof ctx.raw.on !== 'function') {
        fail('store.on is not a function', {
          expected: 'an EventEmitter (extend session.Store)',
          actual: typeof ctx.raw.on,
        })
      }
    },
  },
  {
    id: 'shape.session-helpers',
    level: 'required',
    levelReason: 'every request that loads a session fails',
    title: 'the store has the helpers express-session inherits from Store: createSession, load and regenerate',
    impact:
      'express-session calls store.createSession on every load and store.regenerate on req.session.regenerate(): ' +
      'requests fail with a TypeError.',
    async run(ctx) {
      const missing = (['createSession', 'load', 'regenerate'] as const).filter(
        (name) => typeof ctx.raw[name] !== 'function',
      )
      if (missing.length > 0) {
        fail(`the store has no ${missing.join(', ')}`, {
          expected: 'the methods a subclass of session.Store inherits',
          actual: `missing: ${missing.join(', ')}`,
        })
      }
    },
  },
  {
    id: 'shape.required-methods',
    level: 'required',
    levelReason: 'express-session cannot use the store at all',
    title: 'get, set and destroy are functions',
    impact: 'express-session calls get, set and destroy on every session: without them nothing works.',
    async run(ctx) {
      const missing = (['get', 'set', 'destroy'] as const).filter((name) => typeof ctx.raw[name] !== 'function')
      if (missing.length > 0)
        fail(`the store has no ${missing.join(', ')}`, {
          expected: 'get, set and destroy',
          actual: `missing: ${missing.join(', ')}`,
        })
    },
  },
])
