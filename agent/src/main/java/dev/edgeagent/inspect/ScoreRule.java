package dev.edgeagent.inspect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * How the model's per-patch outputs become anomaly scores, higher = more unusual. Chosen on a
 * validation defect set by models/anomaly/evaluate.py and stored in the model file in that
 * script's grammar, {@code term[+w*term]:smooth}, e.g.
 * {@code llr-image-one+0.25*nll-global-two:smooth5}. A term is quantity-norm-sided:
 *
 * <ul>
 *   <li>quantity: {@code nll} (the field flow's NLL, bits/dim), {@code llr} (field NLL minus the
 *       general-photo flow's NLL: how much less likely the patch is as field texture than as any
 *       photo; cancels the pixel flows' bias towards simple patches), {@code gen} (the general
 *       flow's NLL) or {@code self} (how far the patch's colour and texture statistics lie from
 *       the rest of its own image, {@link SelfReference}; not a flow output);
 *   <li>norm: {@code global} (the quantity's training median and spread) or {@code image} (this
 *       image's own median and spread, the spread floored at {@link #SCALE_FLOOR} of the training
 *       spread; assumes most of the image is normal field);
 *   <li>sided: {@code two} (|deviation|: a patch far *more* likely than usual, like a flat dark
 *       hole, is unusual too) or {@code one}.
 * </ul>
 * The weighted terms are summed, then averaged over the k x k grid neighbourhood ({@code smooth3},
 * {@code smooth5}; {@code none} for no smoothing; the edges average the neighbours that exist).
 *
 * @param key the rule as written in the model file
 */
public record ScoreRule(String key, List<Term> terms, int smooth) {

  /** The image rule's spread never goes below this fraction of the training spread. */
  public static final double SCALE_FLOOR = 0.5;
  /** What the flow graph gives for every patch (bits/dim); its metadata always has their stats. */
  static final List<String> FLOW_QUANTITIES = List.of("nll", "llr", "gen");
  static final List<String> QUANTITIES = List.of("nll", "llr", "gen", "self");

  /** One weighted, normalised quantity. */
  public record Term(double weight, String quantity, boolean perImage, boolean twoSided) {}

  /** A quantity's training median and robust spread (1.4826 x MAD), bits/dim for the flow's. */
  public record Stats(double centre, double scale) {}

  public ScoreRule {
    terms = List.copyOf(terms);
  }

  /** Whether a term of this rule reads {@code quantity}. */
  public boolean uses(String quantity) {
    return terms.stream().anyMatch(t -> t.quantity().equals(quantity));
  }

  /**
   * The model metadata key of a quantity's training {@code median} or {@code scale}: the flow's
   * quantities are in bits/dim ({@code nll_median_bpd}), {@code self} is a distance
   * ({@code self_median}).
   */
  static String metadataKey(String quantity, String what) {
    return quantity + "_" + what + (FLOW_QUANTITIES.contains(quantity) ? "_bpd" : "");
  }

  static ScoreRule parse(String s) {
    String[] parts = s.trim().split(":");
    if (parts.length != 2 || !List.of("none", "smooth3", "smooth5").contains(parts[1])) {
      throw new IllegalArgumentException("unknown anomaly score rule '" + s + "'");
    }
    List<Term> terms = new ArrayList<>();
    for (String t : parts[0].split("\\+")) {
      double w = 1.0;
      int star = t.indexOf('*');
      if (star >= 0) {
        try {
          w = Double.parseDouble(t.substring(0, star));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("bad weight in anomaly score rule '" + s + "'", e);
        }
        t = t.substring(star + 1);
      }
      String[] f = t.split("-");
      if (f.length != 3 || !QUANTITIES.contains(f[0]) || !List.of("global", "image").contains(f[1])
          || !List.of("two", "one").contains(f[2])) {
        throw new IllegalArgumentException("unknown term '" + t + "' in anomaly score rule '" + s + "'");
      }
      terms.add(new Term(w, f[0], f[1].equals("image"), f[2].equals("two")));
    }
    int smooth = parts[1].equals("none") ? 1 : parts[1].charAt(parts[1].length() - 1) - '0';
    return new ScoreRule(s.trim(), terms, smooth);
  }

  /**
   * Scores of all patches of one image.
   *
   * @param values each quantity the rule names, per patch, row-major over {@code rows x cols}
   * @param stats each quantity's training median and spread
   */
  public double[] scores(Map<String, float[]> values, Map<String, Stats> stats, int rows, int cols) {
    double[] total = new double[rows * cols];
    for (Term t : terms) {
      double[] d = term(values.get(t.quantity()), stats.get(t.quantity()), t);
      for (int i = 0; i < total.length; i++) {
        total[i] += t.weight() * d[i];
      }
    }
    return smooth > 1 ? boxMean(total, rows, cols, smooth / 2) : total;
  }

  private static double[] term(float[] values, Stats st, Term t) {
    int n = values.length;
    double[] d = new double[n];
    for (int i = 0; i < n; i++) {
      d[i] = values[i];
    }
    double centre = st.centre();
    double scale = st.scale();
    if (t.perImage() && n > 0) {
      centre = median(d);
      double[] dev = new double[n];
      for (int i = 0; i < n; i++) {
        dev[i] = Math.abs(d[i] - centre);
      }
      scale = Math.max(1.4826 * median(dev), SCALE_FLOOR * st.scale());
    }
    for (int i = 0; i < n; i++) {
      double z = (d[i] - centre) / scale;
      d[i] = t.twoSided() ? Math.abs(z) : z;
    }
    return d;
  }

  private static double[] boxMean(double[] v, int rows, int cols, int r) {
    double[] out = new double[v.length];
    for (int y = 0; y < rows; y++) {
      for (int x = 0; x < cols; x++) {
        double s = 0;
        int n = 0;
        for (int yy = Math.max(0, y - r); yy <= Math.min(rows - 1, y + r); yy++) {
          for (int xx = Math.max(0, x - r); xx <= Math.min(cols - 1, x + r); xx++) {
            s += v[yy * cols + xx];
            n++;
          }
        }
        out[y * cols + x] = s / n;
      }
    }
    return out;
  }

  /** Median as numpy computes it (mean of the two middle values for an even count). */
  static double median(double[] values) {
    double[] s = values.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
  }
}
