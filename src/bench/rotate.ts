/** `items` starting at position `by` (wrapping), so each run puts a different target first. */
export function rotate<T>(items: readonly T[], by: number): T[] {
  return items.map((_, index) => items[(index + by) % items.length] as T)
}
