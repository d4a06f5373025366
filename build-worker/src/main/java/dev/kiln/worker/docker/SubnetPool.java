package dev.kiln.worker.docker;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The IPv4 range build networks take their subnets from, each a /28: one build runs one container at a time, so a
 * handful of addresses is plenty, and a /16 holds 4,096 builds. Kiln picks the subnet itself: Docker's default
 * address pools hold only about 31 bridge networks, and two engines on one host would hand out the same ones.
 */
public record SubnetPool(int base, int prefixLength) {
  /** The prefix of every build network: 16 addresses, 13 of them for containers. */
  public static final int SUBNET_PREFIX = 28;

  /** The default pool, which the node's sandbox firewall must cover too. */
  public static final SubnetPool DEFAULT = parse("10.213.0.0/16");

  public SubnetPool {
    if (prefixLength < 8 || prefixLength > SUBNET_PREFIX) {
      throw new IllegalArgumentException("a build network pool is a /8 to a /" + SUBNET_PREFIX + ", not a /"
          + prefixLength);
    }
    if ((base & ~mask(prefixLength)) != 0) {
      throw new IllegalArgumentException("the build network pool " + format(base) + "/" + prefixLength
          + " has host bits set");
    }
  }

  /** A pool written as {@code a.b.c.d/n}. */
  public static SubnetPool parse(String cidr) {
    String[] parts = cidr.trim().split("/", -1);
    String[] octets = parts[0].split("\\.", -1);
    if (parts.length != 2 || octets.length != 4) {
      throw new IllegalArgumentException("a build network pool is written a.b.c.d/n, not " + cidr);
    }
    int address = 0;
    for (String octet : octets) {
      int value = Integer.parseInt(octet);
      if (value < 0 || value > 255) {
        throw new IllegalArgumentException("not an IPv4 address: " + parts[0]);
      }
      address = address << 8 | value;
    }
    return new SubnetPool(address, Integer.parseInt(parts[1]));
  }

  /** How many build subnets the pool holds. */
  public int size() {
    return 1 << (SUBNET_PREFIX - prefixLength);
  }

  /** The {@code index}th build subnet, as {@code a.b.c.d/28}. */
  public String subnet(int index) {
    if (index < 0 || index >= size()) {
      throw new IndexOutOfBoundsException(index);
    }
    return format(base + (index << (32 - SUBNET_PREFIX))) + "/" + SUBNET_PREFIX;
  }

  /** A subnet picked at random: workers sharing an engine, or a restarted one, rarely ask for the same. */
  public String anySubnet() {
    return subnet(ThreadLocalRandom.current().nextInt(size()));
  }

  @Override
  public String toString() {
    return format(base) + "/" + prefixLength;
  }

  private static int mask(int prefixLength) {
    return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
  }

  private static String format(int address) {
    return (address >>> 24) + "." + (address >>> 16 & 255) + "." + (address >>> 8 & 255) + "." + (address & 255);
  }
}
