/** How a Prometheus call failed: the query itself (bad_data, too many series) or the server and network. */
export type PrometheusErrorKind = 'bad_data' | 'several_series' | 'api' | 'http' | 'unreachable';

/** A failed query; the message names the server and the query so a workflow author can reproduce it. */
export class PrometheusError extends Error {
  constructor(
    message: string,
    readonly kind: PrometheusErrorKind,
    readonly url: string,
    readonly query: string,
  ) {
    super(message);
    this.name = 'PrometheusError';
  }

  /** Errors in the query itself: retrying or passing on them would hide a broken configuration. */
  get isQueryError(): boolean {
    return this.kind === 'bad_data' || this.kind === 'several_series';
  }
}
