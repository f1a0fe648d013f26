/** A count as people read it: 100,000. */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US')
}
