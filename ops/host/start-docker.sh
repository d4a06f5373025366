#!/usr/bin/env bash
# Starts dockerd with the local registry as its Docker Hub mirror, unless an engine already answers.
set -euo pipefail
if docker info >/dev/null 2>&1; then echo "docker engine already running"; exit 0; fi
mkdir -p /etc/docker
cat > /etc/docker/daemon.json <<JSON
{ "registry-mirrors": ["http://127.0.0.1:5000"], "insecure-registries": ["127.0.0.1:5000"] }
JSON
nohup dockerd >/var/log/kiln-dockerd.log 2>&1 &
for _ in $(seq 1 100); do
  docker info >/dev/null 2>&1 && { echo "docker engine up: $(docker version -f '{{.Server.Version}}')"; exit 0; }
  sleep 0.3
done
echo "dockerd did not start; see /var/log/kiln-dockerd.log" >&2; tail -20 /var/log/kiln-dockerd.log >&2; exit 1
