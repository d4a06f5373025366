#!/usr/bin/env bash
# Makes the base images that tests and examples use, offline, and pushes them to the local mirror so that
# Docker Hub names (debian:bookworm-slim, busybox) resolve through it:
#   debian:bookworm-slim  from a debootstrap minbase rootfs
#   busybox:latest        from Debian's busybox-static
#   python:3.11-slim      debian:bookworm-slim plus Debian's python3
set -euo pipefail
mirror=127.0.0.1:5000
present() { curl -fsS "http://$mirror/v2/library/$1/manifests/$2" -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' >/dev/null 2>&1; }

if ! present busybox latest; then
  root=$(mktemp -d)
  mkdir -p "$root/bin" "$root/tmp" "$root/etc" "$root/root"
  cp /bin/busybox "$root/bin/busybox"
  for a in $(/bin/busybox --list); do [ -e "$root/bin/$a" ] || ln -s busybox "$root/bin/$a"; done
  echo 'root:x:0:0:root:/root:/bin/sh' > "$root/etc/passwd"
  echo 'root:x:0:' > "$root/etc/group"
  tar -C "$root" -c . | docker import -c 'CMD ["/bin/sh"]' - "$mirror/library/busybox:latest" >/dev/null
  docker push -q "$mirror/library/busybox:latest"
  rm -rf "$root"
fi

if ! present debian bookworm-slim; then
  root=$(mktemp -d)
  debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian >/tmp/kiln-debootstrap.log 2>&1 \
    || { tail -20 /tmp/kiln-debootstrap.log >&2; exit 1; }
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  tar -C "$root" -c . | docker import -c 'CMD ["bash"]' - "$mirror/library/debian:bookworm-slim" >/dev/null
  docker push -q "$mirror/library/debian:bookworm-slim"
  rm -rf "$root"
fi
# python:3.11-slim, made from Debian's own python3 (3.11 in bookworm) on the debian image above.
if ! present python 3.11-slim; then
  docker pull -q debian:bookworm-slim >/dev/null
  container=$(docker create debian:bookworm-slim sh -c \
    'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3 >/dev/null && ln -sf /usr/bin/python3 /usr/local/bin/python && rm -rf /var/lib/apt/lists/*')
  docker start -a "$container" >/dev/null
  docker commit -c 'CMD ["python3"]' "$container" "$mirror/library/python:3.11-slim" >/dev/null
  docker rm "$container" >/dev/null
  docker push -q "$mirror/library/python:3.11-slim"
fi
echo "base images in the mirror: busybox:latest, debian:bookworm-slim, python:3.11-slim"
