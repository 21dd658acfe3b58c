package dev.edgeagent.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeagent.detect.Box;
import dev.edgeagent.detect.ObjectClass;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A folder with images and {@code annotations.json} in COCO format: category 1 = face,
 * 2 = licence plate, {@code bbox} = [x, y, w, h] in pixels. Loading checks the structure and
 * that every image exists, so a broken dataset fails before any work, with a message that
 * says where.
 */
public final class CocoDataset {

  /** A ground-truth object. */
  public record Truth(ObjectClass cls, Box box) {}

  /**
   * One image and its ground truth; {@code split} is the image's optional {@code split} field
   * (for example real or synthetic), empty when absent.
   */
  public record Item(Path file, int width, int height, String split, List<Truth> truths) {}

  private final List<Item> items;

  private CocoDataset(List<Item> items) {
    this.items = items;
  }

  public List<Item> items() {
    return items;
  }

  /** Only the images whose split is one of {@code splits}; an empty set keeps all. */
  public CocoDataset onlySplits(java.util.Set<String> splits) throws DatasetException {
    if (splits.isEmpty()) {
      return this;
    }
    List<Item> kept = items.stream().filter(i -> splits.contains(i.split())).toList();
    if (kept.isEmpty()) {
      throw new DatasetException("no image has split " + splits + "; the dataset's splits are "
          + new java.util.TreeSet<>(items.stream().map(Item::split).toList()));
    }
    return new CocoDataset(kept);
  }


  public static CocoDataset load(Path dir) throws DatasetException {
    Path ann = dir.resolve("annotations.json");
    if (!Files.isRegularFile(ann)) {
      throw new DatasetException(ann + " is missing (a COCO file with images, annotations, categories)");
    }
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(ann.toFile());
    } catch (IOException e) {
      throw new DatasetException(ann + " is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
    JsonNode images = require(root, "images", ann);
    JsonNode annotations = require(root, "annotations", ann);
    Map<Long, Item> byId = new LinkedHashMap<>();
    for (int i = 0; i < images.size(); i++) {
      JsonNode img = images.get(i);
      String where = ann.getFileName() + ": images[" + i + "]";
      if (!img.hasNonNull("id") || !img.hasNonNull("file_name")) {
        throw new DatasetException(where + " needs id and file_name");
      }
      Path file = dir.resolve(img.get("file_name").asText());
      if (!Files.isRegularFile(file)) {
        throw new DatasetException(where + ": image " + file + " does not exist");
      }
      byId.put(img.get("id").asLong(), new Item(file, img.path("width").asInt(0), img.path("height").asInt(0),
          img.path("split").asText(""), new ArrayList<>()));
    }
    for (int i = 0; i < annotations.size(); i++) {
      JsonNode a = annotations.get(i);
      String where = ann.getFileName() + ": annotations[" + i + "]";
      Item item = byId.get(a.path("image_id").asLong(-1));
      if (item == null) {
        throw new DatasetException(where + " refers to image_id " + a.path("image_id") + ", which is not in images");
      }
      JsonNode bbox = a.get("bbox");
      if (bbox == null || !bbox.isArray() || bbox.size() != 4 || bbox.get(2).asDouble() <= 0
          || bbox.get(3).asDouble() <= 0) {
        throw new DatasetException(where + ": bbox must be [x, y, w, h] with w, h > 0");
      }
      ObjectClass cls = switch (a.path("category_id").asInt(-1)) {
        case 1 -> ObjectClass.FACE;
        case 2 -> ObjectClass.PLATE;
        default -> throw new DatasetException(where + ": category_id must be 1 (face) or 2 (licence plate)");
      };
      item.truths().add(new Truth(cls, new Box(bbox.get(0).asDouble(), bbox.get(1).asDouble(),
          bbox.get(2).asDouble(), bbox.get(3).asDouble())));
    }
    if (byId.isEmpty()) {
      throw new DatasetException(ann + " lists no images");
    }
    return new CocoDataset(List.copyOf(byId.values()));
  }

  private static JsonNode require(JsonNode root, String field, Path ann) throws DatasetException {
    JsonNode n = root == null ? null : root.get(field);
    if (n == null || !n.isArray()) {
      throw new DatasetException(ann + ": '" + field + "' must be a list");
    }
    return n;
  }
}
