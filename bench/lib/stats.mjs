// Small numeric helpers for the benchmark: percentiles over raw samples (no histograms, no rounding
// before the end) and fixed-point formatting.

export function summarize(values) {
  const v = Float64Array.from(values).sort()
  const n = v.length
  if (!n) return { n: 0, mean: NaN, p50: NaN, p90: NaN, p99: NaN, max: NaN }
  const q = p => v[Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1))]
  let sum = 0
  for (const x of v) sum += x
  return { n, mean: sum / n, p50: q(0.5), p90: q(0.9), p99: q(0.99), max: v[n - 1] }
}

export const fmt = (x, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a')
export const signed = (x, digits = 2) => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${x.toFixed(digits)}` : 'n/a')
export const pct = (x, digits = 1) => (Number.isFinite(x) ? `${(x * 100).toFixed(digits)} %` : 'n/a')
export const int = x => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : 'n/a')

/** A markdown table from a header row and rows of cells. */
export function mdTable(header, rows) {
  const line = cells => `| ${cells.join(' | ')} |`
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n')
}
