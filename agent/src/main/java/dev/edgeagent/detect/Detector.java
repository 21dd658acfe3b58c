package dev.edgeagent.detect;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.opencv.core.Mat;

/** Finds regions to redact in a BGR image. Implementations must be safe to call from several threads. */
public interface Detector {

  /** Model id and sha256 of the weights, carried into every published record. */
  ModelInfo model();

  /** Every model whose answer this detector's output depends on (a cascade has several). */
  default List<ModelInfo> models() {
    return List.of(model());
  }

  /**
   * The classes this detector finds. On a frame it was not run on (a detector cadence), the
   * tracker carries these classes' tracks by prediction. Default: every class, the safe answer
   * for a detector that does not say.
   */
  default Set<ObjectClass> classes() {
    return EnumSet.allOf(ObjectClass.class);
  }

  /**
   * @throws DetectorException when the answer cannot be trusted (error, NaN, wrong shape);
   *     the caller drops the frame
   */
  List<Detection> detect(Mat bgr) throws DetectorException;
}
