#!/usr/bin/env bash
# Installs what Kiln's tests and local stack need on a Debian machine: the Docker engine, a local
# registry (the mirror that stands in for Docker Hub) and the tools that make base images offline.
set -euo pipefail
need=()
command -v dockerd >/dev/null || need+=(docker.io)
command -v docker-registry >/dev/null || need+=(docker-registry)
command -v debootstrap >/dev/null || need+=(debootstrap)
command -v curl >/dev/null || need+=(curl)
[ -x /bin/busybox ] || need+=(busybox-static)
# The HopX SDK conformance suite runs the official JavaScript SDK.
command -v node >/dev/null || need+=(nodejs)
command -v npm >/dev/null || need+=(npm)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
echo "prerequisites present: dockerd, docker-registry, debootstrap, node $(node --version)"
