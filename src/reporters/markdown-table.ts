/** One row of a Markdown table: `| a | b | c |`. */
export function tableRow(cells: readonly (string | number)[]): string {
  return `| ${cells.join(' | ')} |`
}
