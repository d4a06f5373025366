#!/usr/bin/env bash
# The fleet's chaos scenario, N times in a row, each from a clean start: FleetSystemIT (two gateways, three
# workers as separate JVMs; its storm test SIGKILLs and freezes workers, SIGKILLs each gateway and restarts a
# broker; the tests before it stop the broker and freeze a gateway) on a fresh broker and schema registry each
# time. Opt-in: CI runs the scenario once, inside `./mvnw verify`.
#
#   bench/chaos.sh [--runs N] [--brokers 1|3]     N defaults to 5
#
# --brokers 3 runs it on three KRaft brokers (replication factor 3, min.insync.replicas 2 for Kiln's topics and the
# internal ones), one of them SIGKILLed and started again mid-run. Every run must end with 0 lost and 0 duplicate
# terminal events; the figures each run printed go to bench/chaos-results-<N>-brokers.md (logs to a temporary
# directory, named at the end). Needs the machine prepared as in the README (Docker engine, local registry).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
runs=5
brokers=1
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --brokers) brokers=$2; shift 2 ;;
    *) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done
logs=$(mktemp -d /tmp/kiln-chaos-XXXXXX)
results=bench/chaos-results-${brokers}-brokers.md
{
  echo "# Chaos runs ($(date -u +%Y-%m-%dT%H:%MZ), $runs runs, $brokers broker(s), \`bench/chaos.sh\`)"
  echo
} >"$results"
failed=0
for run in $(seq 1 "$runs"); do
  log="$logs/run-$run.log"
  echo "chaos run $run of $runs (log: $log)"
  status=passed
  KILN_TEST_BROKERS=$brokers ./mvnw -B verify -pl system-tests -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
    -Dit.test=FleetSystemIT -Dfailsafe.failIfNoSpecifiedTests=false >"$log" 2>&1 || status=FAILED
  [ "$status" = passed ] || failed=$((failed + 1))
  {
    echo "## Run $run: $status"
    echo
    echo '```'
    grep -E '^chaos:' "$log" || echo "(no figures: see $log)"
    echo '```'
    echo
  } >>"$results"
done
echo "$((runs - failed)) of $runs runs passed; figures in $results, logs in $logs"
[ "$failed" -eq 0 ]
