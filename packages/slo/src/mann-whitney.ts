export interface MannWhitneyResult {
  /** U of the first sample: how often one of its values exceeds one of the second's (ties count half). */
  u: number;
  /** One-sided p-value of "the first sample is stochastically greater than the second". */
  pGreater: number;
  /** One-sided p-value of "the first sample is stochastically less than the second". */
  pLess: number;
}

/**
 * Mann-Whitney U test with the normal approximation, tie correction and continuity correction, as Kayenta's
 * classifier (via Apache Commons Math) uses on per-interval metric samples.
 */
export function mannWhitneyU(first: number[], second: number[]): MannWhitneyResult {
  const n1 = first.length;
  const n2 = second.length;
  if (n1 === 0 || n2 === 0) throw new Error('Mann-Whitney U needs at least one value in each sample');
  const pooled = [
    ...first.map((value) => ({ value, group: 0 })),
    ...second.map((value) => ({ value, group: 1 })),
  ];
  pooled.sort((a, b) => a.value - b.value);
  const n = n1 + n2;
  let rankSumFirst = 0;
  let tieTerm = 0;
  for (let start = 0; start < n;) {
    let end = start;
    while (end + 1 < n && pooled[end + 1].value === pooled[start].value) end++;
    const ties = end - start + 1;
    const rank = (start + end) / 2 + 1;
    for (let index = start; index <= end; index++) if (pooled[index].group === 0) rankSumFirst += rank;
    tieTerm += ties ** 3 - ties;
    start = end + 1;
  }
  const u = rankSumFirst - (n1 * (n1 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (variance <= 0) return { u, pGreater: 1, pLess: 1 };
  const sd = Math.sqrt(variance);
  return {
    u,
    pGreater: 1 - normalCdf((u - mean - 0.5) / sd),
    pLess: normalCdf((u - mean + 0.5) / sd),
  };
}

/** Φ(x) from erf (Abramowitz and Stegun 7.1.26, |error| < 1.5e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const poly =
    t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-z * z);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}
