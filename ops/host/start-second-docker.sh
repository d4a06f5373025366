#!/usr/bin/env bash
# Starts a second, independent Docker engine on this machine (own data-root, exec-root, socket, bridge and pidfile,
# the same registry mirror), so that tests can run two workers on two engines: what one engine built, the other
# can only have through the fleet's registry.
set -euo pipefail
socket=/var/run/kiln-docker-2.sock
if docker -H "unix://$socket" info >/dev/null 2>&1; then echo "second docker engine already running"; exit 0; fi
bridge=kiln-docker2
if ! ip link show "$bridge" >/dev/null 2>&1; then
  ip link add name "$bridge" type bridge
  ip addr add 172.30.7.1/24 dev "$bridge"
  ip link set "$bridge" up
fi
mkdir -p /etc/kiln-docker-2 /var/lib/kiln-docker-2 /var/run/kiln-docker-2
cat > /etc/kiln-docker-2/daemon.json <<JSON
{ "registry-mirrors": ["http://127.0.0.1:5000"], "insecure-registries": ["127.0.0.1:5000"] }
JSON
# No iptables rules of its own: the first engine owns the host's; build steps need no outside network here.
nohup dockerd --config-file /etc/kiln-docker-2/daemon.json --data-root /var/lib/kiln-docker-2 \
  --exec-root /var/run/kiln-docker-2 --host "unix://$socket" --pidfile /var/run/kiln-docker-2.pid \
  --bridge "$bridge" --iptables=false --ip-masq=false >/var/log/kiln-dockerd-2.log 2>&1 &
for _ in $(seq 1 100); do
  docker -H "unix://$socket" info >/dev/null 2>&1 && { echo "second docker engine up on $socket"; exit 0; }
  sleep 0.3
done
echo "second dockerd did not start; see /var/log/kiln-dockerd-2.log" >&2; tail -20 /var/log/kiln-dockerd-2.log >&2
exit 1
