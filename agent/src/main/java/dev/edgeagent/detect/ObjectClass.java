package dev.edgeagent.detect;

/** What a redacted region is. The ids match the evaluation annotations (COCO category ids). */
public enum ObjectClass {
  FACE(1),
  PLATE(2);

  private final int categoryId;

  ObjectClass(int categoryId) {
    this.categoryId = categoryId;
  }

  public int categoryId() {
    return categoryId;
  }

  /** "face" or "plate", as written in summaries, keep lists and the review page. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The class a {@link #label()} names; IllegalArgumentException for anything else. */
  public static ObjectClass parse(String label) {
    for (ObjectClass c : values()) {
      if (c.label().equals(label)) {
        return c;
      }
    }
    throw new IllegalArgumentException("'" + label + "' is not a class (face or plate)");
  }
}
