#!/usr/bin/env bash
# The benchmark, from one command: builds Kiln, starts a local Kiln of its own (broker, schema registry, one gateway,
# one worker on this machine's Docker engine; ports 18080/19092/18081, state in a temporary directory), measures
# Kiln against `DOCKER_BUILDKIT=0 docker build --no-cache` on the same engine, then stops what it started.
# Writes the report to bench/results.md (see docs/benchmarks.md for the method). BENCH_RUNS (7) and
# BENCH_DISPATCHES (100) set the sample sizes. As root with tcpdump installed it also counts the broker requests of
# the idle worker (bench/share-fetches.py).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
./mvnw -B -q install -DskipTests
export KILN_HOME=${KILN_HOME:-$(mktemp -d /tmp/kiln-bench-XXXXXX)}
export KILN_KAFKA_PORT=19092 KILN_REGISTRY_PORT=18081 KILN_GATEWAY_PORT=18080
# The benchmark sends over a hundred builds in minutes from one organization: the quotas are not what it measures.
export KILN_RATE_REQUESTS_PER_MINUTE=0 KILN_RATE_BUILDS_PER_HOUR=0 KILN_MAX_ACTIVE_BUILDS_PER_ORG=0
trap 'ops/local/kiln-local stop' EXIT
ops/local/kiln-local start --workers 1
# The benchmark reads the request topic, which only the ledger and the workers may: it signs in as the operator.
KILN_KAFKA_USERNAME=kiln-operator KILN_KAFKA_PASSWORD=$(sed -n 's/^kiln-operator=//p' "$KILN_HOME/data/kafka-users.properties") \
KILN_URL=http://127.0.0.1:18080 KILN_KAFKA_BOOTSTRAP=127.0.0.1:19092 KILN_SCHEMA_REGISTRY_URL=http://127.0.0.1:18081 \
  java -cp "bench/target/kiln-bench-0.1.0-SNAPSHOT.jar:$(cat bench/target/bench.classpath)" \
  dev.kiln.bench.Benchmark bench/results.md
# How often an idle build slot asks the broker for work: 20 s of client -> broker requests once every build has
# ended (needs tcpdump and root; skipped otherwise).
if command -v tcpdump >/dev/null && [ "$(id -u)" = 0 ]; then
  capture=$(mktemp /tmp/kiln-bench-fetches-XXXXXX.pcap)
  timeout 20 tcpdump -i lo -w "$capture" 'tcp dst port 19092 and tcp[tcpflags] & tcp-push != 0' 2>/dev/null || true
  { echo; echo "Idle, 20 s of requests to the broker:"; echo '```'; python3 bench/share-fetches.py "$capture" 20; echo '```'; } \
    | tee -a bench/results.md
  rm -f "$capture"
fi
