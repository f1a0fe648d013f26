/** How a backend was provided, in words, for reports. */
export function describeSource(source: string | undefined): string {
  switch (source) {
    case 'env':
      return 'from the environment URL'
    case 'local-binary':
      return 'local server started for the run'
    case 'container':
      return 'container started for the run'
    default:
      return 'source unknown'
  }
}
