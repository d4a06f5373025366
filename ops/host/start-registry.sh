#!/usr/bin/env bash
# Starts Debian's docker-registry on 127.0.0.1:5000 (the Docker Hub mirror for this offline machine).
set -euo pipefail
dir=${KILN_REGISTRY_DIR:-/var/lib/kiln-registry}
if curl -fsS http://127.0.0.1:5000/v2/ >/dev/null 2>&1; then echo "registry already up on 127.0.0.1:5000"; exit 0; fi
mkdir -p "$dir"
cat > "$dir/config.yml" <<CFG
version: 0.1
storage:
  filesystem:
    rootdirectory: $dir/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:5000
CFG
nohup docker-registry serve "$dir/config.yml" >"$dir/registry.log" 2>&1 &
for _ in $(seq 1 50); do
  curl -fsS http://127.0.0.1:5000/v2/ >/dev/null 2>&1 && { echo "registry up on 127.0.0.1:5000"; exit 0; }
  sleep 0.2
done
echo "registry did not start; see $dir/registry.log" >&2; exit 1
