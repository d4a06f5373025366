#!/usr/bin/env bash
# The node's firewall for build networks. Each build attempt runs on a bridge network of its own, a /28 from the
# worker's KILN_SANDBOX_NETWORK_POOL; Docker already keeps bridge networks apart. These rules do the rest, for
# anything coming from the pool:
#   - to this node itself (every address of it: Kiln's broker, gateway, registry and management ports, the Docker
#     API, sshd): refused, but for the TCP ports in KILN_SANDBOX_ALLOWED_NODE_PORTS (a package cache, say);
#   - to private, shared and link-local addresses (other builds, Kiln's services elsewhere on the network, the
#     cloud's metadata endpoint at 169.254.169.254): refused, but for KILN_SANDBOX_ALLOWED_DESTINATIONS;
#   - to the internet: allowed, so that package installs work. Name lookups go through Docker's embedded resolver,
#     which asks the node's resolvers from the node itself; a resolver of the build's own at a private address
#     needs an allowed destination such as 10.0.0.2:53/udp.
# Usage: sandbox-firewall.sh apply|remove|print   (as root, on every node that runs a worker, after dockerd starts)
#   KILN_SANDBOX_NETWORK_POOL         comma-separated pools of every worker on the node (default 10.213.0.0/16)
#   KILN_SANDBOX_ALLOWED_NODE_PORTS   comma-separated TCP ports of this node builds may reach (default none)
#   KILN_SANDBOX_ALLOWED_DESTINATIONS comma-separated CIDR[:port[/tcp|/udp]] in private ranges (default none)
# apply fails closed: while it runs, and if it stops half-way, the pools reach nothing at all.
set -euo pipefail
action=${1:-apply}
IFS=, read -r -a pools <<<"${KILN_SANDBOX_NETWORK_POOL:-10.213.0.0/16}"
IFS=, read -r -a node_ports <<<"${KILN_SANDBOX_ALLOWED_NODE_PORTS:-}"
IFS=, read -r -a destinations <<<"${KILN_SANDBOX_ALLOWED_DESTINATIONS:-}"
# Where a build has no business: RFC 1918, shared address space (RFC 6598), link-local, multicast.
private_ranges=(10.0.0.0/8 172.16.0.0/12 192.168.0.0/16 100.64.0.0/10 169.254.0.0/16 224.0.0.0/4)
outward=KILN-SANDBOX-OUT
node=KILN-SANDBOX-NODE

# Deletes every rule of chain $1 that mentions $2 (found by what it says, whatever pool it was made for).
delete_rules() {
  { iptables -S "$1" 2>/dev/null || true; } | { grep -e "$2" || true; } | sed 's/^-A //' | while read -r rule; do
    eval "iptables -D $rule"
  done
}

# While the chains are rebuilt, nothing from the pools passes.
close_all() {
  for pool in "${pools[@]}"; do
    iptables -I DOCKER-USER 1 -s "$pool" -j REJECT -m comment --comment kiln-sandbox-closed
    iptables -I INPUT 1 -s "$pool" -j REJECT -m comment --comment kiln-sandbox-closed
  done
}

fill_outward() {
  iptables -A "$outward" -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN
  for destination in "${destinations[@]}"; do
    [ -n "$destination" ] || continue
    if [[ $destination == *:* ]]; then
      local cidr=${destination%%:*} port=${destination#*:} protocol=tcp
      [[ $port == */* ]] && { protocol=${port#*/}; port=${port%/*}; }
      iptables -A "$outward" -d "$cidr" -p "$protocol" --dport "$port" -j RETURN
    else
      iptables -A "$outward" -d "$destination" -j RETURN
    fi
  done
  for range in "${pools[@]}" "${private_ranges[@]}"; do
    iptables -A "$outward" -d "$range" -p tcp -j REJECT --reject-with tcp-reset
    iptables -A "$outward" -d "$range" -j REJECT --reject-with icmp-port-unreachable
  done
}

fill_node() {
  iptables -A "$node" -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN
  for port in "${node_ports[@]}"; do
    [ -n "$port" ] && iptables -A "$node" -p tcp --dport "$port" -j RETURN
  done
  iptables -A "$node" -p tcp -j REJECT --reject-with tcp-reset
  iptables -A "$node" -j REJECT --reject-with icmp-port-unreachable
}

apply() {
  iptables -N DOCKER-USER 2>/dev/null || true # dockerd makes it too, and keeps what it finds in it
  close_all
  delete_rules DOCKER-USER "-j $outward"
  delete_rules INPUT "-j $node"
  iptables -N "$outward" 2>/dev/null || iptables -F "$outward"
  iptables -N "$node" 2>/dev/null || iptables -F "$node"
  fill_outward
  fill_node
  for pool in "${pools[@]}"; do
    iptables -I DOCKER-USER 1 -s "$pool" -j "$outward"
    iptables -I INPUT 1 -s "$pool" -j "$node"
  done
  delete_rules DOCKER-USER kiln-sandbox-closed
  delete_rules INPUT kiln-sandbox-closed
  echo "sandbox firewall applied for ${pools[*]} (node ports allowed: ${node_ports[*]:-none};" \
    "private destinations allowed: ${destinations[*]:-none})"
}

remove() {
  for chain in DOCKER-USER INPUT; do
    delete_rules "$chain" "-j KILN-SANDBOX-"
    delete_rules "$chain" kiln-sandbox-closed
  done
  for chain in "$outward" "$node"; do
    iptables -F "$chain" 2>/dev/null || true
    iptables -X "$chain" 2>/dev/null || true
  done
  echo "sandbox firewall removed"
}

case "$action" in
  apply) apply ;;
  remove) remove ;;
  print) iptables -S DOCKER-USER; iptables -S INPUT
    iptables -S "$outward" 2>/dev/null && iptables -S "$node" || echo "(no sandbox chains)" ;;
  *) echo "usage: $0 apply|remove|print" >&2; exit 2 ;;
esac
