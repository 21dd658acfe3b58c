package dev.edgeagent.encode;

import dev.edgeagent.redact.AnonymizedFrame;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

/** An SR uncertainty map as an 8-bit grey PNG: lossless, so each grey level keeps its meaning. */
public final class UncertaintyPng {
  private UncertaintyPng() {}

  public static byte[] encode(AnonymizedFrame.Uncertainty u) {
    Mat m = new Mat(u.height(), u.width(), CvType.CV_8UC1);
    MatOfByte buf = new MatOfByte();
    try {
      m.put(0, 0, u.grey());
      if (!Imgcodecs.imencode(".png", m, buf)) {
        throw new IllegalStateException("PNG encoding of the " + u.width() + "x" + u.height()
            + " uncertainty map failed");
      }
      return buf.toArray();
    } finally {
      m.release();
      buf.release();
    }
  }
}
