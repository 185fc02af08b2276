/** What the caller adds to an SLO file. */
export interface SloFileOptions {
  /** Overrides the period every SLO in the file sets (the `window` input). */
  window?: string;
  /** The service when the file names none. */
  service?: string;
}
