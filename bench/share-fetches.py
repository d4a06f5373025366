#!/usr/bin/env python3
"""Counts the Kafka requests in a pcap of client -> broker traffic (tcpdump -w, one request per pushed segment, as
small idle requests are) by API key, and the ShareFetch requests per client connection: bench/run.sh uses it to
show how often an idle build slot asks the broker for work. Usage: share-fetches.py CAPTURE SECONDS"""
import collections
import struct
import sys

NAMES = {0: "Produce", 1: "Fetch", 3: "Metadata", 12: "Heartbeat", 76: "ShareGroupHeartbeat", 78: "ShareFetch",
         79: "ShareAcknowledge"}


def requests(capture):
    data = open(capture, "rb").read()
    link_header = {1: 14, 113: 16, 276: 20}.get(struct.unpack("<I", data[20:24])[0], 14)
    offset = 24
    while offset + 16 <= len(data):
        length = struct.unpack("<I", data[offset + 8:offset + 12])[0]
        packet = data[offset + 16:offset + 16 + length]
        offset += 16 + length
        ip = packet[link_header:]
        if not ip:
            continue
        tcp = ip[(ip[0] & 15) * 4:] if ip[0] >> 4 == 4 else ip[40:]
        payload = tcp[(tcp[12] >> 4) * 4:]
        if len(payload) >= 6:
            yield struct.unpack(">H", tcp[0:2])[0], struct.unpack(">h", payload[4:6])[0]


def main():
    capture, seconds = sys.argv[1], float(sys.argv[2])
    by_api = collections.Counter()
    share_fetches = collections.Counter()
    for port, api in requests(capture):
        by_api[api] += 1
        if api == 78:
            share_fetches[port] += 1
    for api, count in by_api.most_common():
        print(f"{NAMES.get(api, 'api ' + str(api))}: {count / seconds:.1f}/s")
    per_connection = ", ".join(f"{count / seconds:.1f}" for count in sorted(share_fetches.values()))
    print(f"ShareFetch per connection (one per build slot): {per_connection or 'none'} per second")


if __name__ == "__main__":
    main()
