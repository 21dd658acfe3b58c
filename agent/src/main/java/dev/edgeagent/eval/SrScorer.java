package dev.edgeagent.eval;

import dev.edgeagent.enhance.BicubicUpscaler;
import dev.edgeagent.enhance.EnhanceException;
import dev.edgeagent.enhance.Upscaler;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Scores an upscaler on one high-resolution image: HR cropped to a multiple of the scale, LR made
 * from it, SR = upscaler(LR), compared with HR on Y with a border of {@code scale} pixels cropped;
 * bicubic enlargement of the same LR, with the same library's bicubic that made the LR, is
 * scored alongside as the baseline.
 */
public final class SrScorer {

  /** How the LR image is made from HR. */
  public enum LrKernel {
    /** OpenCV INTER_CUBIC (a = -0.75, no antialiasing when shrinking). */
    OPENCV_CUBIC("OpenCV INTER_CUBIC (a=-0.75, no antialiasing)"),
    /** Pillow BICUBIC (a = -0.5, antialiased): what models/sr/eval.py uses. */
    PIL_BICUBIC("Pillow BICUBIC (a=-0.5, antialiased), reimplemented");

    private final String description;

    LrKernel(String description) {
      this.description = description;
    }

    public String description() {
      return description;
    }
  }

  /** One image's scores; {@code srNanos} is the upscaler's time alone. */
  public record Score(int width, int height, double psnrY, double ssim, double bicubicPsnrY,
      double bicubicSsim, long srNanos) {}

  private final Upscaler upscaler;
  private final LrKernel kernel;
  private final BicubicUpscaler bicubic;

  public SrScorer(Upscaler upscaler, LrKernel kernel) {
    this.upscaler = upscaler;
    this.kernel = kernel;
    this.bicubic = new BicubicUpscaler(upscaler.scale());
  }

  /** The smallest HR side that leaves an SSIM window after the border crop. */
  public int minSide() {
    int s = upscaler.scale();
    return Math.max(2 * s + 11, 4 * s);
  }

  public Score score(Mat hrFull) throws EnhanceException {
    int s = upscaler.scale();
    int w = hrFull.cols() - hrFull.cols() % s;
    int h = hrFull.rows() - hrFull.rows() % s;
    if (w < minSide() || h < minSide()) {
      throw new IllegalArgumentException(hrFull.cols() + "x" + hrFull.rows() + " is too small");
    }
    Mat roi = hrFull.submat(new Rect(0, 0, w, h));
    Mat hr = roi.clone();
    roi.release();
    Mat lr = downscale(hr, w / s, h / s);
    long t0 = System.nanoTime();
    Mat sr = upscaler.upscale(lr);
    long nanos = System.nanoTime() - t0;
    Mat bic = kernel == LrKernel.PIL_BICUBIC ? PilBicubic.resize(lr, w, h) : bicubic.upscale(lr);
    try {
      double[][] yHr = ImageQuality.lumaY(hr, s);
      double[][] ySr = ImageQuality.lumaY(sr, s);
      double[][] yBic = ImageQuality.lumaY(bic, s);
      return new Score(w, h, ImageQuality.psnr(ySr, yHr), ImageQuality.ssim(ySr, yHr),
          ImageQuality.psnr(yBic, yHr), ImageQuality.ssim(yBic, yHr), nanos);
    } finally {
      hr.release();
      lr.release();
      sr.release();
      bic.release();
    }
  }

  private Mat downscale(Mat hr, int w, int h) {
    if (kernel == LrKernel.PIL_BICUBIC) {
      return PilBicubic.resize(hr, w, h);
    }
    Mat lr = new Mat();
    Imgproc.resize(hr, lr, new Size(w, h), 0, 0, Imgproc.INTER_CUBIC);
    return lr;
  }
}
