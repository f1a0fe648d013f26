import { randomBytes } from 'node:crypto'
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type session from 'express-session'
import { namesOutside } from '../../../src/backends/file/outside.js'
import { type Callback, type Entry, ReferenceStore } from '../correct/reference-store.js'
import { type BrokenStore, brokenStore } from './broken-store.js'

const MEBIBYTE = 1024 * 1024

type CookieLike = { expires?: Date | string | null; _expires?: Date | string | null }

const codeOf = (error: unknown) => (error as { code?: unknown } | null)?.code

/**
 * The backend as files, one per session: `path.join(dir, sid + '.json')` with the id as it came
 * (session-file-store's sessionPath), so `../x` lands beside the directory and `../../x` above it.
 * Every fs error but a missing file is thrown, for the store to pass to its callback.
 */
class UnsanitisedFiles extends Map<string, Entry> {
  constructor(readonly dir: string) {
    super()
  }

  file(key: string): string {
    return path.join(this.dir, `${key}.json`)
  }

  override get(key: string): Entry | undefined {
    try {
      return JSON.parse(readFileSync(this.file(key), 'utf8')) as Entry
    } catch (error) {
      if (codeOf(error) === 'ENOENT') return undefined
      throw error
    }
  }

  override has(key: string): boolean {
    return this.get(key) !== undefined
  }

  override set(key: string, entry: Entry): this {
    // Written whole, then renamed into place (write-file-atomic), so a reader never sees half a file.
    const file = this.file(key)
    const partial = `${file}.${randomBytes(4).toString('hex')}.tmp`
    writeFileSync(partial, JSON.stringify(entry))
    renameSync(partial, file)
    return this
  }

  override delete(key: string): boolean {
    try {
      unlinkSync(this.file(key))
      return true
    } catch (error) {
      if (codeOf(error) === 'ENOENT') return false
      throw error
    }
  }

  override keys(): MapIterator<string> {
    const names = readdirSync(this.dir).filter((name) => name.endsWith('.json'))
    return names.map((name) => name.slice(0, -'.json'.length))[Symbol.iterator]() as MapIterator<string>
  }

  override clear(): void {
    for (const key of [...this.keys()]) this.delete(key)
  }
}

/**
 * A reference store on UnsanitisedFiles whose get/set/destroy/touch pass fs errors (a NUL byte, a
 * name too long, a missing subdirectory) to their callback, as session-file-store does.
 */
class UnsanitisedFileStore extends ReferenceStore {
  override get(sid: string, callback: Callback): void {
    this.guarded(callback, (done) => {
      const entry = this.live(sid)
      done(null, entry ? this.parse(entry.text) : null)
    })
  }

  override set(sid: string, sess: session.SessionData, callback?: Callback): void {
    this.guarded(callback, (done) => {
      this.entries.set(sid, { text: this.serialize(sess), expiresAt: this.expiryOf(sess.cookie as CookieLike) })
      done(null)
    })
  }

  override destroy(sid: string, callback?: Callback): void {
    this.guarded(callback, (done) => {
      this.entries.delete(sid)
      done(null)
    })
  }

  override touch(sid: string, sess: session.SessionData, callback?: Callback): void {
    this.guarded(callback, (done) => {
      const entry = this.live(sid)
      if (entry) {
        const stored = this.parse(entry.text) as Record<string, unknown>
        stored.cookie = sess.cookie
        this.entries.set(sid, { text: this.serialize(stored), expiresAt: this.expiryOf(sess.cookie as CookieLike) })
      }
      done(null)
    })
  }

  /** `work` on the next turn; what the files throw goes to the callback, unless it was called already (and threw). */
  private guarded(callback: Callback | undefined, work: (done: Callback) => void): void {
    setImmediate(() => {
      let called = false
      const done: Callback = (error, value) => {
        called = true
        callback?.(error, value)
      }
      try {
        work(done)
      } catch (error) {
        if (called) throw error
        callback?.(error)
      }
    })
  }
}

/**
 * One directory per process for the file-backed store (its instances share it, as peers share a
 * backend): `<tmp>/sc-broken-file-XXXXXX/sessions`, removed when the process exits.
 */
function unsanitisedFileStore(): Pick<BrokenStore, 'create' | 'outsideNamespace'> {
  let made: { runDir: string; storeDir: string } | undefined
  const dirs = () => {
    if (made) return made
    const runDir = mkdtempSync(path.join(tmpdir(), 'sc-broken-file-'))
    const storeDir = path.join(runDir, 'sessions')
    mkdirSync(storeDir)
    // A vitest worker is torn down without 'exit': the owner file lets the tool's next sweep of
    // orphaned sc-* directories (backends/_temp-dirs.ts) remove it once this process is gone.
    writeFileSync(path.join(runDir, '.store-conformance-owner'), String(process.pid))
    process.once('exit', () => rmSync(runDir, { recursive: true, force: true }))
    made = { runDir, storeDir }
    return made
  }
  return {
    create: () => new UnsanitisedFileStore(new UnsanitisedFiles(dirs().storeDir)),
    outsideNamespace: (marker) => namesOutside(dirs().storeDir, dirs().runDir, marker),
  }
}

type Token = { readonly literal: string } | { readonly word: string }

/**
 * SQL as a list of statements, each a list of tokens: quoted literals ('' is a quote inside one),
 * words and `=`; `--` comments are dropped.
 */
function parseSql(sql: string): Token[][] {
  const statements: Token[][] = [[]]
  for (let at = 0; at < sql.length; ) {
    const rest = sql.slice(at)
    const current = statements.at(-1) as Token[]
    if (/^\s/.test(rest)) at += 1
    else if (rest.startsWith('--')) at = sql.indexOf('\n', at) < 0 ? sql.length : sql.indexOf('\n', at)
    else if (rest.startsWith(';')) {
      statements.push([])
      at += 1
    } else if (rest.startsWith("'")) {
      let literal = ''
      for (at += 1; ; at += 1) {
        if (at >= sql.length) throw new Error('syntax error: unterminated quoted string')
        if (sql[at] === "'" && sql[at + 1] === "'") {
          literal += "'"
          at += 1
        } else if (sql[at] === "'") break
        else literal += sql[at]
      }
      at += 1
      current.push({ literal })
    } else {
      const word = /^(=|[A-Za-z_][\w.]*)/.exec(rest)?.[0]
      if (word === undefined) throw new Error(`syntax error at or near "${rest.slice(0, 10)}"`)
      current.push({ word })
      at += word.length
    }
  }
  return statements.filter((statement) => statement.length > 0)
}

/**
 * destroy() as `DELETE FROM sessions WHERE sid = '<sid>'`, the id pasted in, run by a tiny SQL
 * interpreter: statements split at `;`, and a WHERE clause of comparisons (`sid` or a literal on
 * either side of `=`) joined by OR. Anything else is a syntax error, or a table that does not exist.
 */
class ConcatenatedSqlStore extends ReferenceStore {
  override destroy(sid: string, callback?: Callback): void {
    setImmediate(() => {
      try {
        for (const statement of parseSql(`DELETE FROM sessions WHERE sid = '${sid}'`)) this.execute(statement)
      } catch (error) {
        return callback?.(error)
      }
      callback?.(null)
    })
  }

  private execute(tokens: Token[]): void {
    const words = tokens.slice(0, 4).map((token) => ('word' in token ? token.word.toUpperCase() : ''))
    if (words[0] === 'DROP' && words[1] === 'TABLE')
      throw new Error(`relation "${words[2]?.toLowerCase()}" does not exist`)
    if (words.join(' ') !== 'DELETE FROM SESSIONS WHERE') throw new Error(`syntax error at or near "${words[0]}"`)
    const matches: ((key: string) => boolean)[] = []
    for (let at = 4; at < tokens.length; at += 4) {
      const [left, equals, right, or] = tokens.slice(at, at + 4)
      const value = (token: Token | undefined) =>
        token && 'literal' in token
          ? () => token.literal
          : token && 'word' in token && token.word === 'sid'
            ? (key: string) => key
            : undefined
      const [a, b] = [value(left), value(right)]
      if (!a || !b || !equals || !('word' in equals) || equals.word !== '=') throw new Error('syntax error in WHERE')
      if (or && !('word' in or && or.word.toUpperCase() === 'OR')) throw new Error('syntax error in WHERE')
      matches.push((key) => a(key) === b(key))
    }
    for (const key of [...this.entries.keys()]) if (matches.some((match) => match(key))) this.entries.delete(key)
  }
}

/** lodash.merge before 4.6.2, hoek before 4.2.1, jQuery.extend(true) before 3.4.0: `__proto__` walked into. */
function naiveMerge(target: Record<string, unknown>, source: Record<string, unknown>): Record<string, unknown> {
  for (const key of Object.keys(source)) {
    const value = source[key]
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const into = target[key]
      if (into === null || typeof into !== 'object') target[key] = {}
      naiveMerge(target[key] as Record<string, unknown>, value as Record<string, unknown>)
    } else {
      target[key] = value
    }
  }
  return target
}

/** A deep copy that assigns key by key: `copy.__proto__ = …` sets the copy's prototype, and the key is gone. */
function assigningCopy(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map(assigningCopy)
  const copy: Record<string, unknown> = {}
  for (const key of Object.keys(value)) copy[key] = assigningCopy((value as Record<string, unknown>)[key])
  return copy
}

export const safetyBroken = [
  brokenStore({
    name: 'file-path-traversal',
    defect:
      "joins the id into a file path unsanitised (session-file-store's path.join(dir, sid + '.json')): an id " +
      'with ../ writes beside or above the session directory',
    breaks: ['safety.hostile-ids'],
    ...unsanitisedFileStore(),
  }),
  brokenStore({
    name: 'sql-concatenated-destroy',
    defect:
      "destroy() pastes the id into DELETE … WHERE sid = '<id>': an id ending in ' OR sid = '<another>' deletes " +
      "that other session (and ' OR '1'='1 every one)",
    breaks: ['safety.hostile-ids'],
    create: () => new ConcatenatedSqlStore(),
  }),
  brokenStore({
    name: 'deep-merge-pollutes-prototype',
    defect:
      'copies the session with a naive recursive merge on set() and get() (lodash.merge < 4.6.2): a nested ' +
      '__proto__ key in the data is walked into and Object.prototype gets its properties',
    breaks: ['safety.no-prototype-pollution'],
    create: () =>
      new (class extends ReferenceStore {
        protected override serialize(sess: unknown): string {
          return JSON.stringify(naiveMerge({}, JSON.parse(JSON.stringify(sess)) as Record<string, unknown>))
        }
        protected override parse(text: string): unknown {
          return naiveMerge({}, JSON.parse(text) as Record<string, unknown>)
        }
      })(),
  }),
  brokenStore({
    name: 'proto-keys-lost-by-assignment',
    defect:
      'deep-copies the data on set() by assigning key by key: an own __proto__ key sets the copy’s prototype ' +
      'instead and is lost (no pollution: only the copy changes)',
    breaks: ['safety.prototype-keys-as-data'],
    create: () =>
      new (class extends ReferenceStore {
        protected override serialize(sess: unknown): string {
          return JSON.stringify(assigningCopy(JSON.parse(JSON.stringify(sess))))
        }
      })(),
  }),
  brokenStore({
    name: 'deep-clone-overflows-stack',
    defect:
      'set() copies the session with structuredClone on the next turn (a private copy for a write-behind cache): ' +
      'its serializer recurses, and past about 2,000 levels a RangeError escapes from setImmediate and the ' +
      'callback never runs',
    breaks: ['safety.deep-nesting'],
    create: () =>
      new (class extends ReferenceStore {
        override set(sid: string, sess: session.SessionData, callback?: Callback): void {
          setImmediate(() => {
            // Cloned from its JSON form, so everything else (the cookie's toJSON) stays as JSON gives it.
            const copy = structuredClone(JSON.parse(JSON.stringify(sess))) as session.SessionData
            super.set(sid, copy, callback)
          })
        }
      })(),
  }),
  brokenStore({
    name: 'huge-session-truncated-at-8-mib',
    defect:
      'keeps only the first 8 MiB of a serialised session and calls back success (a column or packet limit ' +
      'without strict mode); the cut record does not parse and reads as a miss',
    breaks: ['safety.huge-session'],
    create: () =>
      new (class extends ReferenceStore {
        protected override serialize(sess: unknown): string {
          return super.serialize(sess).slice(0, 8 * MEBIBYTE)
        }
        protected override parse(text: string): unknown {
          try {
            return JSON.parse(text)
          } catch {
            return null
          }
        }
      })(),
  }),
]
