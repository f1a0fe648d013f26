import { expect, test } from 'vitest'
import { LineSplitter, MAX_LINE_CHARS, signer, verifier } from '../src/api/isolation/channel.js'

/** The report pipe between the store's process and the CLI: only the child's own lines verify. */
test('signed lines verify in order; rewritten, replayed, unsigned and wrongly keyed ones do not', () => {
  const sign = signer('key')
  const verify = verifier('key')
  const first = sign({ type: 'result', id: 'a' }).trimEnd()
  const second = sign({ type: 'result', id: 'b' }).trimEnd()
  expect(verify(first)).toEqual({ message: { type: 'result', id: 'a' } })
  expect(verify(first.replace('"a"', '"z"'))).toEqual({ error: expect.stringMatching(/does not verify/) })
  expect(verify(first)).toEqual({ error: expect.stringMatching(/report 1 arrived where 2 was due/) })
  expect(verify('{"type":"result"}')).toEqual({ error: expect.stringMatching(/not a signed report/) })
  expect(verify(signer('other')({ type: 'result' }).trimEnd())).toEqual({
    error: expect.stringMatching(/does not verify/),
  })
  expect(verify(second)).toEqual({ message: { type: 'result', id: 'b' } })
})

test('lines are split across chunks, and an overlong one is refused without being held', () => {
  const lines: string[] = []
  let overlong = 0
  const splitter = new LineSplitter(
    (line) => lines.push(line),
    () => {
      overlong += 1
    },
  )
  splitter.push('one\ntw')
  splitter.push('o\nthree\n')
  splitter.push('x'.repeat(MAX_LINE_CHARS + 1))
  splitter.push('more of the same\nfour\n')
  expect(lines).toEqual(['one', 'two', 'three', 'four'])
  expect(overlong).toBe(1)
})
