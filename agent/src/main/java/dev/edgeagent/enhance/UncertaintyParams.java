package dev.edgeagent.enhance;

/**
 * How the SR uncertainty map is sampled.
 *
 * @param samples K flow samples per pixel (1..64; one sample has no spread, so K = 1 gives an
 *     all-zero map)
 * @param temperature tau: z ~ N(0, tau^2 I) (0..2; 0 makes every sample the temperature-0 output)
 * @param seed fixes the latent draws, so the same image always gives the same map
 */
public record UncertaintyParams(int samples, double temperature, long seed) {
  public static final int MAX_SAMPLES = 64;
  public static final double MAX_TEMPERATURE = 2.0;

  public UncertaintyParams {
    if (samples < 1 || samples > MAX_SAMPLES) {
      throw new IllegalArgumentException("samples must be 1.." + MAX_SAMPLES + ", got " + samples);
    }
    if (!(temperature >= 0 && temperature <= MAX_TEMPERATURE)) {
      throw new IllegalArgumentException("temperature must be 0.." + MAX_TEMPERATURE + ", got " + temperature);
    }
  }
}
