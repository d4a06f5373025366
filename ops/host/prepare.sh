#!/usr/bin/env bash
# Prepares this Debian machine for Kiln, idempotently: what is already there is left as it is (the firewall's rules
# are made again, the same).
#
#   ops/host/prepare.sh local   the Docker engine, the local registry that stands in for Docker Hub, the base images
#                               (what ops/local/kiln-local needs; it calls this on first use)
#   ops/host/prepare.sh tests   also a second Docker engine, a basic-auth registry and the sandbox firewall
#                               (what the tests need; ./mvnw verify calls this first)
#
# Installing and starting these needs root. As another user it only checks, and says what to run as root.
set -euo pipefail
cd "$(dirname "$0")/../.."
mode=${1:-tests}
started=$(date +%s)

ready() {
  docker info >/dev/null 2>&1 && curl -fsS http://127.0.0.1:5000/v2/library/debian/tags/list 2>/dev/null \
    | grep -q bookworm-slim || return 1
  [ "$mode" = local ] && return 0
  docker -H unix:///var/run/kiln-docker-2.sock info >/dev/null 2>&1 \
    && curl -fsS -o /dev/null -w '%{http_code}' http://127.0.0.1:5001/v2/ 2>/dev/null | grep -q 401
}

case "$mode" in
  local|tests) ;;
  *) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
if [ "$(id -u)" != 0 ]; then
  ready && exit 0
  echo "this machine is not prepared for Kiln ($mode); once, as root: ops/host/prepare.sh $mode" >&2
  exit 1
fi
ops/host/install-prereqs.sh
ops/host/start-registry.sh
ops/host/start-docker.sh
ops/host/make-base-images.sh
if [ "$mode" = tests ]; then
  ops/host/start-second-docker.sh
  ops/host/start-private-registry.sh
  # Build networks of the workers on both engines; the sandbox tests serve a package index on the allowed port.
  KILN_SANDBOX_NETWORK_POOL=10.213.0.0/16,10.214.0.0/16 KILN_SANDBOX_ALLOWED_NODE_PORTS=3142 \
    ops/host/sandbox-firewall.sh apply
fi
echo "machine prepared for Kiln ($mode) in $(( $(date +%s) - started )) s"
