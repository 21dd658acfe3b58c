package dev.edgeagent.inspect;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Groups flagged patches into regions: 8-connected components on the grid (overlapping patches
 * of one defect touch diagonally as well), each boxed by the union of its patches' squares.
 */
public final class RegionFinder {
  private RegionFinder() {}

  /** Regions, most unusual first. */
  public static List<FlaggedRegion> find(AnomalyMap map) {
    PatchGrid g = map.grid();
    int rows = g.rows();
    int cols = g.cols();
    boolean[] seen = new boolean[rows * cols];
    List<FlaggedRegion> out = new ArrayList<>();
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    for (int start = 0; start < rows * cols; start++) {
      if (seen[start] || !map.flagged(start / cols, start % cols)) {
        continue;
      }
      seen[start] = true;
      queue.add(start);
      int r0 = Integer.MAX_VALUE;
      int c0 = Integer.MAX_VALUE;
      int r1 = -1;
      int c1 = -1;
      int n = 0;
      double max = 0;
      double sum = 0;
      while (!queue.isEmpty()) {
        int idx = queue.poll();
        int r = idx / cols;
        int c = idx % cols;
        double s = map.scores()[idx];
        n++;
        sum += s;
        max = Math.max(max, s);
        r0 = Math.min(r0, r);
        r1 = Math.max(r1, r);
        c0 = Math.min(c0, c);
        c1 = Math.max(c1, c);
        for (int dr = -1; dr <= 1; dr++) {
          for (int dc = -1; dc <= 1; dc++) {
            int rr = r + dr;
            int cc = c + dc;
            if (rr >= 0 && rr < rows && cc >= 0 && cc < cols && !seen[rr * cols + cc] && map.flagged(rr, cc)) {
              seen[rr * cols + cc] = true;
              queue.add(rr * cols + cc);
            }
          }
        }
      }
      double k = map.toInput();
      int x = (int) Math.floor(c0 * g.stride() * k);
      int y = (int) Math.floor(r0 * g.stride() * k);
      int x2 = Math.min(map.inputWidth(), (int) Math.ceil((c1 * g.stride() + g.patch()) * k));
      int y2 = Math.min(map.inputHeight(), (int) Math.ceil((r1 * g.stride() + g.patch()) * k));
      out.add(new FlaggedRegion(x, y, x2 - x, y2 - y, max, sum / n, n));
    }
    out.sort(Comparator.comparingDouble(FlaggedRegion::score).reversed());
    return out;
  }
}
