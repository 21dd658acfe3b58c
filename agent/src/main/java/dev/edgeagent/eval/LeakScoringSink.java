package dev.edgeagent.eval;

import dev.edgeagent.encode.FrameSink;
import dev.edgeagent.redact.AnonymizedFrame;
import dev.edgeagent.redact.Redaction;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The sink {@code eval-video} runs the pipeline into: instead of writing a published frame, it
 * scores the frame's redactions against the clip's ground truth. The frame number is the
 * frame's sequence + 1, since a source numbers its frames from 0 in decoding order and the
 * annotation from 1.
 */
public final class LeakScoringSink implements FrameSink {
  private final MotSequence clip;
  private final Map<MotSequence.Row, Double> speeds;
  private final LeakCounter counter;
  private final BiConsumer<Integer, List<Redaction>> redactions;

  /**
   * @param counter scores the clip's annotated frames
   * @param redactions (may be null) is told every published frame's number and redactions,
   *     annotated or not
   */
  public LeakScoringSink(MotSequence clip, LeakCounter counter, BiConsumer<Integer, List<Redaction>> redactions) {
    this.clip = clip;
    this.speeds = clip.speeds();
    this.counter = counter;
    this.redactions = redactions;
  }

  @Override
  public void accept(AnonymizedFrame f) {
    int frame = Math.toIntExact(f.meta().sequence() + 1);
    if (redactions != null) {
      redactions.accept(frame, f.redactions());
    }
    if (!clip.annotated(frame)) {
      return;
    }
    counter.add(clip.name(), frame, f.meta().width(), f.meta().height(), clip.rows(frame), speeds, f.redactions());
  }

  @Override
  public void close() {}
}
