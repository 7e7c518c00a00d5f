// Shared by the Node benchmarks: µs per call of `fn` over `budgetMs`, after `warmUp` calls
// (JIT, Wasm tier-up).
export const budgetMs = Number(process.env.LEASEKIT_BENCH_MS ?? 300);

export async function measure(fn, warmUp = 50) {
  for (let i = 0; i < warmUp; i++) await fn();
  let iterations = 0;
  const start = performance.now();
  while (performance.now() - start < budgetMs) {
    await fn();
    iterations++;
  }
  return ((performance.now() - start) * 1000) / iterations;
}
