/** What the HTTP bench's app process tells its parent, once. */
export type AppMessage =
  | { readonly type: 'listening'; readonly port: number }
  | { readonly type: 'failed'; readonly error: string; readonly code?: string; readonly unavailable: boolean }
