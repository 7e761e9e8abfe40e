-- wrk -s benchmarks/wrk_percentiles.lua: one line with requests/s and the latency percentiles (µs).
function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local bad = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format("SUITE rps=%.2f p50=%d p95=%d p99=%d errors=%d\n",
    summary.requests / seconds, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), bad))
end
