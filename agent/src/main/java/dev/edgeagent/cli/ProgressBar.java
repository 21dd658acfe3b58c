package dev.edgeagent.cli;

import dev.edgeagent.pipeline.CameraPipeline;
import java.io.PrintStream;

/**
 * Progress on stderr: a redrawn bar on a terminal, otherwise one plain line every few seconds,
 * so logs of batch jobs show they are alive without filling up.
 */
final class ProgressBar implements CameraPipeline.Progress {
  private static final long PLAIN_INTERVAL_NANOS = 5_000_000_000L;
  private static final long BAR_INTERVAL_NANOS = 200_000_000L;

  private final PrintStream out;
  private final boolean terminal;
  private final long start = System.nanoTime();
  private long lastPrint;
  private boolean drawn;

  ProgressBar(PrintStream out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  static ProgressBar forStderr() {
    return new ProgressBar(System.err, System.console() != null);
  }

  @Override
  public void update(long done, long expected) {
    long now = System.nanoTime();
    if (now - lastPrint < (terminal ? BAR_INTERVAL_NANOS : PLAIN_INTERVAL_NANOS)) {
      return;
    }
    lastPrint = now;
    double secs = (now - start) / 1e9;
    double fps = secs > 0 ? done / secs : 0;
    String eta = expected > 0 && fps > 0 ? String.format(" eta %ds", (long) ((expected - done) / fps)) : "";
    String counts = expected > 0 ? done + "/" + expected : String.valueOf(done);
    if (terminal) {
      int width = 30;
      int filled = expected > 0 ? (int) Math.min(width, width * done / expected) : 0;
      out.print("\r[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + counts
          + String.format(" frames %.1f fps", fps) + eta + "   ");
      drawn = true;
    } else {
      out.println("progress: " + counts + String.format(" frames, %.1f fps", fps) + eta);
    }
    out.flush();
  }

  void finish() {
    if (drawn) {
      out.println();
    }
  }
}
