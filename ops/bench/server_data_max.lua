-- wrk script: POST server_data() as the stock Python client encodes it; reports p50/p99/max latency and how many
-- requests took over a second (a SYN retry after a full listen backlog costs 1 s).
wrk.method = "POST"
wrk.headers["Content-Type"] = "text/xml"
wrk.headers["User-Agent"] = "Python-xmlrpc/3.11"
wrk.body = "<?xml version='1.0'?>\n<methodCall>\n<methodName>server_data</methodName>\n<params>\n</params>\n</methodCall>\n"

done = function(summary, latency, requests)
  local over = 0
  for _, p in pairs({99, 99.9, 99.99}) do
    if latency:percentile(p) > 1000000 then over = p end
  end
  io.write(string.format("RESULT requests=%d seconds=%.3f errors=%d p50_us=%d p99_us=%d max_us=%d over1s_from_pct=%s\n",
    summary.requests, summary.duration / 1e6,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout,
    latency:percentile(50), latency:percentile(99), latency.max, over))
end
