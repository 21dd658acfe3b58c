package dev.edgeagent.detect;

/** An axis-aligned box in frame pixels (x, y = top-left corner). */
public record Box(double x, double y, double w, double h) {

  public double area() {
    return Math.max(0, w) * Math.max(0, h);
  }

  public double right() {
    return x + w;
  }

  public double bottom() {
    return y + h;
  }

  public double intersection(Box o) {
    double iw = Math.min(right(), o.right()) - Math.max(x, o.x);
    double ih = Math.min(bottom(), o.bottom()) - Math.max(y, o.y);
    return iw <= 0 || ih <= 0 ? 0 : iw * ih;
  }

  public double iou(Box o) {
    double inter = intersection(o);
    double union = area() + o.area() - inter;
    return union <= 0 ? 0 : inter / union;
  }

  /** Grows the box by {@code fraction} of its width/height on every side. */
  public Box expand(double fraction) {
    double dx = w * fraction;
    double dy = h * fraction;
    return new Box(x - dx, y - dy, w + 2 * dx, h + 2 * dy);
  }

  /** The part of the box inside a {@code width} x {@code height} frame (may be empty). */
  public Box clamp(int width, int height) {
    double x0 = Math.max(0, x);
    double y0 = Math.max(0, y);
    double x1 = Math.min(width, right());
    double y1 = Math.min(height, bottom());
    return new Box(x0, y0, Math.max(0, x1 - x0), Math.max(0, y1 - y0));
  }

  public boolean isFinite() {
    return Double.isFinite(x) && Double.isFinite(y) && Double.isFinite(w) && Double.isFinite(h);
  }

  public Box scale(double sx, double sy, double ox, double oy) {
    return new Box(x * sx + ox, y * sy + oy, w * sx, h * sy);
  }
}
