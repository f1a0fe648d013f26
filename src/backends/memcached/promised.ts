export type Callback<T> = (error: unknown, value: T) => void

/** One call of the `memcached` client's callback API, as a promise. */
export function promised<T>(run: (callback: Callback<T>) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => run((error, value) => (error ? reject(error) : resolve(value))))
}
