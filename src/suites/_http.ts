import { describeValue } from '../core/errors.js'
import { fail } from '../core/expect.js'
import type { AppResponse, SessionApp } from '../core/types.js'

/** The test app answered 200, or the step fails with the status and the error it reported. */
export function expectOk(response: AppResponse, step: string): AppResponse {
  if (response.status !== 200) {
    fail(
      `${step}: HTTP ${response.status}${response.body.error ? ` (${describeValue(response.body.error, 120)})` : ''}`,
      {
        expected: 'HTTP 200',
        actual: `HTTP ${response.status}`,
      },
    )
  }
  return response
}

export function expectNoLateErrors(app: SessionApp): void {
  const late = app.lateErrors()
  if (late.length > 0) {
    fail(`express-session reported store errors after responding: ${late.join('; ')}`, {
      expected: 'no errors',
      actual: late.join('; '),
      impact:
        'The error reaches Express after the headers were sent (ERR_HTTP_HEADERS_SENT) and the session change is lost.',
    })
  }
}

/** The keys the application wrote: stores may add their own (serialization.no-bookkeeping-leak judges that). */
export function written(data: unknown, keys: readonly string[]): Record<string, unknown> {
  const source = (data ?? {}) as Record<string, unknown>
  return Object.fromEntries(keys.filter((key) => key in source).map((key) => [key, source[key]]))
}
