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
}
