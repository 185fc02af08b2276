/** The inverse of @actions/core's `escapeData` (toCommandValue): %0D, %0A and %25 back to their characters. */
export function unescapeCommandData(data: string): string {
  return data.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}
