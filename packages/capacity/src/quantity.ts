// Suffixes of Kubernetes resource quantities (k8s.io/apimachinery/pkg/api/resource, quantity.go).
const SUFFIX: Record<string, number> = {
  '': 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** `250m` → 0.25, `256Mi` → 268435456, `1e3` → 1000; undefined for anything else. */
export function parseQuantity(text: string): number | undefined {
  const match = /^([0-9]+(?:\.[0-9]+)?)(?:[eE]([+-]?[0-9]+)|([a-zA-Z]{0,2}))$/.exec(text.trim());
  if (!match) return undefined;
  const [, number, exponent, suffix = ''] = match;
  if (exponent !== undefined) return Number(number) * 10 ** Number(exponent);
  const factor = SUFFIX[suffix];
  return factor === undefined ? undefined : Number(number) * factor;
}
