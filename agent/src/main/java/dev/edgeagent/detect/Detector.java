package dev.edgeagent.detect;

import java.util.List;
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
   * @throws DetectorException when the answer cannot be trusted (error, NaN, wrong shape);
   *     the caller drops the frame
   */
  List<Detection> detect(Mat bgr) throws DetectorException;
}
