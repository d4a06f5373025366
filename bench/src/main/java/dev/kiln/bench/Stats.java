package dev.kiln.bench;

import java.util.List;

/** Order statistics of a sample. */
final class Stats {
  private Stats() {}

  /** The value below which {@code percent} of the sample lies (nearest rank). */
  static double percentile(List<? extends Number> sample, double percent) {
    List<Double> sorted = sample.stream().map(Number::doubleValue).sorted().toList();
    int rank = (int) Math.ceil(percent / 100 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }

  static double median(List<? extends Number> sample) {
    List<Double> sorted = sample.stream().map(Number::doubleValue).sorted().toList();
    int middle = sorted.size() / 2;
    return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
  }
}
