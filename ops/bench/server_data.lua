-- wrk script: POST server_data() as the stock Python client encodes it.
wrk.method = "POST"
wrk.headers["Content-Type"] = "text/xml"
wrk.headers["User-Agent"] = "Python-xmlrpc/3.11"
wrk.body = "<?xml version='1.0'?>\n<methodCall>\n<methodName>server_data</methodName>\n<params>\n</params>\n</methodCall>\n"

done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d seconds=%.3f errors=%d p50_us=%d p99_us=%d\n",
    summary.requests, summary.duration / 1e6,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout,
    latency:percentile(50), latency:percentile(99)))
end
