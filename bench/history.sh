#!/usr/bin/env bash
# Memory and restart time against a long history: starts a local Kiln of its own (one broker, one gateway, one
# worker; ports 38080/39092/38081/38190, state in a temporary directory), restarts it with an empty history and
# measures each service's live heap (after a full GC) and the time until `kiln-local start` says up; then writes the
# history of HISTORY_BUILDS (100000) ended builds (bench History: two status events and one log chunk each, no build
# requests), restarts it again and measures the same. Prints a table (docs/benchmarks.md, "Memory and history").
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
[ -n "${BENCH_SKIP_BUILD:-}" ] || ./mvnw -B -q install -DskipTests -Dkiln.skipPrepare
builds=${HISTORY_BUILDS:-100000}
export KILN_HOME=${KILN_HOME:-$(mktemp -d /tmp/kiln-history-XXXXXX)}
export KILN_KAFKA_PORT=39092 KILN_REGISTRY_PORT=38081 KILN_GATEWAY_PORT=38080 KILN_LOCAL_WORKER_PORT=38190
trap 'ops/local/kiln-local stop' EXIT

pid_on() { ss -ltnpH "sport = :$1" | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -1; }
# The bytes of live objects, from a class histogram (which collects first): GC.heap_info's "used" also counts the
# young regions the service filled again between the collection and the question (up to 60 MB here).
live_heap_mb() { # pid: live heap in MB
  jcmd "$1" GC.class_histogram | awk '/^Total/ { print int($3 / 1048576) }'
}
restart() { # label
  ops/local/kiln-local stop >/dev/null
  local started=$(date +%s%N)
  ops/local/kiln-local start --workers 1 >/dev/null
  local up_ms=$(( ($(date +%s%N) - started) / 1000000 ))
  echo "| $1 | $up_ms | $(live_heap_mb "$(pid_on $KILN_GATEWAY_PORT)") | $(live_heap_mb "$(pid_on $KILN_LOCAL_WORKER_PORT)") |"
}

ops/local/kiln-local start --workers 1 >/dev/null
echo "| history | kiln-local start → up (ms) | gateway live heap (MB) | worker live heap (MB) |"
echo "|---|---|---|---|"
restart "empty"
KILN_KAFKA_USERNAME=kiln-operator KILN_KAFKA_PASSWORD=$(sed -n 's/^kiln-operator=//p' "$KILN_HOME/data/kafka-users.properties") \
KILN_KAFKA_BOOTSTRAP=$(sed -n 's/^KILN_KAFKA_BOOTSTRAP=//p' "$KILN_HOME/data/endpoints") \
KILN_SCHEMA_REGISTRY_URL=http://127.0.0.1:$KILN_REGISTRY_PORT \
  java -cp "bench/target/kiln-bench-0.1.0-SNAPSHOT.jar:$(cat bench/target/bench.classpath)" \
  dev.kiln.bench.History "$builds" >&2 2>/dev/null
restart "$builds ended builds"
