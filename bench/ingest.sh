#!/usr/bin/env bash
# The ingestion benchmark, from one command: builds Kiln, starts a local Kiln of its own (one broker, the schema
# registry, one gateway, one 2-slot worker; ports 28080/29092/28081/28190, state in a temporary directory), then
# measures four paths of the same gateway side by side with real load generators:
#   health  GET /health (no authentication, no Kafka): the gateway's own ceiling;
#   400     a build request without from_image: authentication, parsing and validation, nothing written;
#   ledger  an update of a template that does not exist: through admission and the template ledger, answered 404;
#   202     a new template per request (a CMD-only build): the full path, every answer a 202 of a durable request.
# Each path runs at a steady INGEST_RATE (300) req/s from 10 connections (hey -c 10 -q 30 for the fixed-body paths,
# as the issue measured; wrk paced by bench/ingest/paced.lua for all four), then flat out from 128 connections (wrk).
# The benchmark profile turns the quotas off and lifts the queue's bound above the load. The 202 rows come last and
# only they are not warmed up: from the first one on, the worker builds what they queue (CMD-only builds, one
# config commit each) on the same 2 cores. The queued builds are thrown away with the stack at the end, after every
# 202 wrk counted is looked up on the request topic.
# Writes bench/ingest-results.md (method and figures: docs/benchmarks.md).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
[ -n "${BENCH_SKIP_BUILD:-}" ] || ./mvnw -B -q install -DskipTests -Dkiln.skipPrepare
for tool in hey wrk; do
  command -v $tool >/dev/null || { echo "$tool is missing: apt-get install hey wrk" >&2; exit 1; }
done
rate=${INGEST_RATE:-300}
seconds=${INGEST_SECONDS:-10}
export KILN_HOME=${KILN_HOME:-$(mktemp -d /tmp/kiln-ingest-XXXXXX)}
export KILN_KAFKA_PORT=29092 KILN_REGISTRY_PORT=28081 KILN_GATEWAY_PORT=28080 KILN_LOCAL_WORKER_PORT=28190
export KILN_RATE_REQUESTS_PER_MINUTE=0 KILN_RATE_BUILDS_PER_HOUR=0 KILN_MAX_ACTIVE_BUILDS_PER_ORG=0
export KILN_MAX_QUEUE_WAIT=${KILN_MAX_QUEUE_WAIT:-100000h} KILN_MAX_QUEUED_BUILDS=${KILN_MAX_QUEUED_BUILDS:-10000000}
trap 'ops/local/kiln-local stop' EXIT
ops/local/kiln-local start --workers 1
url=http://127.0.0.1:$KILN_GATEWAY_PORT
key=kiln-dev-key
work=$(mktemp -d /tmp/kiln-ingest-bodies-XXXXXX)
build='"from_image":"debian:bookworm-slim","cpu":1,"memory":512,"diskGB":1,"steps":[{"type":"CMD","args":["true"]}]'
echo '{"name":"ingest-bad","cpu":1}' >"$work/400.json"
echo "{\"name\":\"ingest-missing\",\"update\":true,$build}" >"$work/ledger.json"
echo "{\"name\":\"NAME\",$build}" >"$work/202.json"
run_id=ingest-$(date +%s)

status_of() { # path: the status one request of that path gets
  case $1 in
    health) curl -s -o /dev/null -w '%{http_code}' "$url/health" ;;
    *) curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
         --data-binary @<(sed "s/NAME/$run_id-probe/" "$work/$1.json") "$url/v1/templates/build" ;;
  esac
}

hey_run() { # path: a steady rate from 10 connections, as `hey -c 10 -q rate/10`
  local out args=(-z "${seconds}s" -c 10 -q $(( rate / 10 )))
  if [ "$1" = health ]; then
    out=$(hey "${args[@]}" "$url/health")
  else
    out=$(hey "${args[@]}" -m POST -T application/json -H "Authorization: Bearer $key" -D "$work/$1.json" \
      "$url/v1/templates/build")
  fi
  awk -v path="$1" '
    /Requests\/sec/ { rps = $2 }
    / 50% in/ { p50 = $3 * 1000 } / 90% in/ { p90 = $3 * 1000 } / 99% in/ { p99 = $3 * 1000 }
    /Slowest/ { max = $2 * 1000 }
    /^ *\[[0-9]+\]/ { codes = codes $1 " " $2 " " }
    END { printf "| %s | hey -c 10 -q %d | %.0f | %.1f | %.1f | %.1f | %.1f | %s|\n", path, '"$rate"' / 10, rps, p50, p90, p99, max, codes }
  ' <<<"$out"
}

wrk_run() { # path connections [rate]: wrk for the path, paced to rate when given
  local target=/v1/templates/build body=$work/$1.json out
  [ "$1" = health ] && { target=/health; body=""; }
  out=$(TARGET=$target BODY_FILE=$body RATE=${3:-0} THREADS=2 KEY=$key RUN_ID=$run_id-$1-$2 \
    wrk -t 2 -c "$2" -d "${seconds}s" -s bench/ingest/paced.lua "$url")
  local label="wrk -c $2"
  [ -n "${3:-}" ] && label="wrk -c $2, paced to $3/s"
  awk -v path="$1" -v label="$label" '
    /^KILN / { for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } }
    /Socket errors/ { errors = $0 }
    END { printf "| %s | %s | %.0f | %.1f | %.1f | %.1f | %.1f | %d of %d not 2xx %s|\n", path, label, v["rps"], v["p50"], v["p90"], v["p99"], v["max"], v["non2xx3xx"], v["requests"], errors }
  ' <<<"$out"
  if [ "$1" = 202 ]; then
    awk '/^KILN / { for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } } END { print v["requests"] - v["non2xx3xx"] }' \
      <<<"$out" >>"$work/accepted"
  fi
}

for path in health 400 ledger 202; do
  echo "$path answers $(status_of "$path")" >&2
done
# Warm-up: the JIT and the clients' connections, on every path, before anything is measured.
for path in 400 ledger; do
  TARGET=/v1/templates/build BODY_FILE=$work/$path.json RATE=200 THREADS=2 KEY=$key RUN_ID=$run_id-warm \
    wrk -t 2 -c 10 -d 5s -s bench/ingest/paced.lua "$url" >/dev/null
done
: >"$work/accepted"
report=bench/ingest-results.md
{
  echo "# Ingestion benchmark ($(date -u +%Y-%m-%d), $(nproc) cores, commit $(git rev-parse --short HEAD))"
  echo
  echo "One gateway, one broker, one 2-slot worker on this machine; ${seconds} s per row; latencies in ms."
  echo
  echo "| path | load | req/s | p50 | p90 | p99 | max | answers |"
  echo "|---|---|---|---|---|---|---|---|"
  for path in health 400 ledger; do hey_run "$path"; done
  for path in health 400 ledger; do wrk_run "$path" 10 "$rate"; done
  for path in health 400 ledger; do wrk_run "$path" 128; done
  wrk_run 202 10 "$rate"
  wrk_run 202 128
} | tee "$report.tmp"
mv "$report.tmp" "$report"
accepted=$(awk '{ s += $1 } END { print s }' "$work/accepted")
KILN_KAFKA_USERNAME=kiln-operator KILN_KAFKA_PASSWORD=$(sed -n 's/^kiln-operator=//p' "$KILN_HOME/data/kafka-users.properties") \
KILN_KAFKA_BOOTSTRAP=$(sed -n 's/^KILN_KAFKA_BOOTSTRAP=//p' "$KILN_HOME/data/endpoints") KILN_SCHEMA_REGISTRY_URL=http://127.0.0.1:$KILN_REGISTRY_PORT \
  java -cp "bench/target/kiln-bench-0.1.0-SNAPSHOT.jar:$(cat bench/target/bench.classpath)" \
  dev.kiln.bench.RequestCount "$run_id-202-" >"$work/on-topic"
echo | tee -a "$report"
echo "202s counted by wrk: $accepted; build requests of those names on the request topic: $(cat "$work/on-topic")" \
  | tee -a "$report"
