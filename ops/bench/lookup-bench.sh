#!/usr/bin/env bash
# Benchmark: inventory lookup by selector over 10,000 sessions (Inventory.find on one embedded Hazelcast member)
# against a plain linear scan of the same records in an ArrayList, in one JVM, plus heap per stored session.
# Runs dev.sessionhub.ops.bench.LookupBench with the JVM flags ops/bin/sessionhub gives a hub (keep them in step).
# usage: ops/bench/lookup-bench.sh [SESSIONS [ITERATIONS [WARMUP]]]      (defaults 10000 200 100; about 1 minute)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
[ -f "$root/ops/target/sessionhub.jar" ] || (cd "$root" && mvn -q -B -ntp -DskipTests package)
flags=(--add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens java.management/sun.management=ALL-UNNAMED
  --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED
  -Djdk.serialFilter='!*' -Dsun.net.http.retryPost=false -Dhazelcast.logging.type=slf4j -Dhazelcast.phone.home.enabled=false
  -XX:+UseG1GC -Xms256m)
exec java "${flags[@]}" -cp "$root/ops/target/sessionhub.jar" dev.sessionhub.ops.bench.LookupBench "$@"
