package dev.kiln.schema.kafka;

import dev.kiln.schema.Resources;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A band of build sizes, with a request topic and a pool of workers of its own. A worker belongs to the pool of the
 * largest band whose every build fits one of its slots, and claims from that band's topic only, so it never claims
 * a build larger than its share of the node. A build is queued for the smallest pool, among those with a live
 * worker, whose band holds it. A share consumer cannot look at a request before it acquires it, and handing one back
 * counts toward its delivery limit, so the choice is made by where a request is written, not by the worker that
 * gets it; and a worker reads one topic only, because a share group spreads several topics' partitions over its
 * members instead of giving every member all of them.
 *
 * <p>The bands grow in each resource up to the API's limits: a worker whose slot is a little under a band's ceiling
 * belongs to the band below, the price of claiming without looking.
 */
public enum SizeClass {
  SMALL(1, 1024, 4),
  MEDIUM(2, 4096, 16),
  LARGE(4, 16384, 64),
  XLARGE(8, 64000, 250);

  private final int cpu;
  private final int memoryMb;
  private final int diskGb;

  SizeClass(int cpu, int memoryMb, int diskGb) {
    this.cpu = cpu;
    this.memoryMb = memoryMb;
    this.diskGb = diskGb;
  }

  /** The band's name as it appears in topic names and metric tags. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The largest build of the band. */
  public Resources ceiling() {
    return new Resources(cpu, memoryMb, diskGb);
  }

  /** The smallest band that holds {@code build}; empty for a build larger than every band. */
  public static Optional<SizeClass> of(Resources build) {
    return Arrays.stream(values()).filter(band -> within(build, band.ceiling())).findFirst();
  }

  /** Whether a slot of {@code slot}'s size takes every build of this band. */
  public boolean fits(Resources slot) {
    return within(ceiling(), slot);
  }

  /** The bands a slot of {@code slot}'s size serves, smallest first (none when it is under the smallest band). */
  public static List<SizeClass> servedBy(Resources slot) {
    return Arrays.stream(values()).filter(band -> band.fits(slot)).toList();
  }

  /** The pool of workers whose slots are of {@code slot}'s size: the largest band they hold whole, if any. */
  public static Optional<SizeClass> poolOf(Resources slot) {
    List<SizeClass> served = servedBy(slot);
    return served.isEmpty() ? Optional.empty() : Optional.of(served.get(served.size() - 1));
  }

  /**
   * The pool a build is queued for: the smallest of {@code pools} (those with a live worker) whose band holds it;
   * empty when none does.
   */
  public static Optional<SizeClass> queueFor(Resources build, Collection<SizeClass> pools) {
    return of(build).flatMap(band -> pools.stream().filter(pool -> pool.compareTo(band) >= 0)
        .min(Comparator.naturalOrder()));
  }

  /**
   * The pool a request was queued for: the one admission chose ({@code label}, as {@code BuildRequested.sizeClass}
   * carries it) or, for a request from before pools, the smallest band that holds {@code build}. Admission refuses a
   * build larger than every band; were one written anyway, the largest band's workers are the nearest fit.
   */
  public static SizeClass queuedFor(String label, Resources build) {
    return byLabel(label).or(() -> of(build)).orElse(XLARGE);
  }

  /** The band with this {@link #label()}, if any. */
  private static Optional<SizeClass> byLabel(String label) {
    return Arrays.stream(values()).filter(band -> band.label().equals(label)).findFirst();
  }

  private static boolean within(Resources inner, Resources outer) {
    return inner.getCpu() <= outer.getCpu() && inner.getMemoryMb() <= outer.getMemoryMb()
        && inner.getDiskGb() <= outer.getDiskGb();
  }
}
