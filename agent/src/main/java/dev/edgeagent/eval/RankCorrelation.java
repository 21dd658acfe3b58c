package dev.edgeagent.eval;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/** Spearman rank correlation, ties given their average rank (as models/sr/uncertainty_eval.py). */
public final class RankCorrelation {
  private RankCorrelation() {}

  public static double spearman(double[] a, double[] b) {
    if (a.length != b.length || a.length < 2) {
      throw new IllegalArgumentException("need two series of the same length >= 2, got " + a.length + " and "
          + b.length);
    }
    double[] ra = ranks(a);
    double[] rb = ranks(b);
    double mean = (a.length + 1) / 2.0; // mean of 1..n, ties included
    double sab = 0;
    double saa = 0;
    double sbb = 0;
    for (int i = 0; i < a.length; i++) {
      double da = ra[i] - mean;
      double db = rb[i] - mean;
      sab += da * db;
      saa += da * da;
      sbb += db * db;
    }
    return saa == 0 || sbb == 0 ? Double.NaN : sab / Math.sqrt(saa * sbb);
  }

  /** 1-based ranks; equal values share the mean of the ranks they span. */
  static double[] ranks(double[] v) {
    Integer[] order = IntStream.range(0, v.length).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble(i -> v[i]));
    double[] r = new double[v.length];
    int i = 0;
    while (i < v.length) {
      int j = i;
      while (j + 1 < v.length && v[order[j + 1]] == v[order[i]]) {
        j++;
      }
      double avg = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) {
        r[order[k]] = avg;
      }
      i = j + 1;
    }
    return r;
  }
}
