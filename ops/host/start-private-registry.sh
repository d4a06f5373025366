#!/usr/bin/env bash
# A private registry with basic auth on 127.0.0.1:5001 holding 127.0.0.1:5001/private/busybox:1, for the tests of
# registry_credentials. The user and password are test fixtures, not secrets of any real system.
set -euo pipefail
user=${KILN_TEST_REGISTRY_USER:-kiln-ci}
password=${KILN_TEST_REGISTRY_PASSWORD:-kiln-private-registry-fixture-pw}
dir=${KILN_PRIVATE_REGISTRY_DIR:-/var/lib/kiln-private-registry}
image=127.0.0.1:5001/private/busybox:1
if ! curl -fsS -o /dev/null -w '%{http_code}' http://127.0.0.1:5001/v2/ 2>/dev/null | grep -q 401; then
  command -v htpasswd >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq apache2-utils >/dev/null; }
  mkdir -p "$dir"
  htpasswd -Bbn "$user" "$password" > "$dir/htpasswd"
  cat > "$dir/config.yml" <<CFG
version: 0.1
storage:
  filesystem:
    rootdirectory: $dir/data
http:
  addr: 127.0.0.1:5001
auth:
  htpasswd:
    realm: kiln-test
    path: $dir/htpasswd
CFG
  nohup docker-registry serve "$dir/config.yml" >"$dir/registry.log" 2>&1 &
  for _ in $(seq 1 50); do
    curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:5001/v2/ 2>/dev/null | grep -q 401 && break
    sleep 0.2
  done
fi
if ! curl -fsS -u "$user:$password" http://127.0.0.1:5001/v2/private/busybox/manifests/1 \
    -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' >/dev/null 2>&1; then
  docker pull -q busybox:latest >/dev/null
  docker tag busybox:latest "$image"
  echo "$password" | docker login -u "$user" --password-stdin 127.0.0.1:5001 >/dev/null
  docker push -q "$image" >/dev/null
  docker logout 127.0.0.1:5001 >/dev/null
  docker rmi "$image" >/dev/null
fi
echo "private registry with basic auth on 127.0.0.1:5001: $image"
