package dev.edgeagent.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * What the probes found, section by section, and the problems that keep the loaded profile from
 * running as configured (any problem makes doctor exit 78). Renders as JSON or as indented text.
 */
public final class DoctorReport {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ObjectNode root = JSON.createObjectNode();
  private final ArrayNode problems = JSON.createArrayNode();

  /** A section to fill, e.g. "host", "gpu". */
  public ObjectNode section(String name) {
    return root.putObject(name);
  }

  /** Something that stops the profile from running as configured: what and what to change. */
  public void problem(String text) {
    problems.add(text);
  }

  public boolean ok() {
    return problems.isEmpty();
  }

  public static ObjectMapper json() {
    return JSON;
  }

  public String toJson() {
    ObjectNode out = root.deepCopy();
    out.set("problems", problems);
    out.put("ok", ok());
    return out.toString();
  }

  public String toText() {
    StringBuilder sb = new StringBuilder();
    Iterator<Map.Entry<String, JsonNode>> it = root.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      sb.append(e.getKey()).append(":\n");
      write(sb, e.getValue(), "  ");
    }
    sb.append(problems.isEmpty() ? "OK: the profile can run as configured\n" : "PROBLEMS:\n");
    problems.forEach(p -> sb.append("  - ").append(p.asText()).append('\n'));
    return sb.toString();
  }

  private static void write(StringBuilder sb, JsonNode node, String indent) {
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> it = node.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getValue().isContainerNode() && !e.getValue().isEmpty()) {
          sb.append(indent).append(e.getKey()).append(":\n");
          write(sb, e.getValue(), indent + "  ");
        } else {
          sb.append(indent).append(e.getKey()).append(": ").append(scalar(e.getValue())).append('\n');
        }
      }
    } else if (node.isArray()) {
      for (JsonNode n : node) {
        if (n.isContainerNode()) {
          sb.append(indent).append("-\n");
          write(sb, n, indent + "  ");
        } else {
          sb.append(indent).append("- ").append(scalar(n)).append('\n');
        }
      }
    }
  }

  private static String scalar(JsonNode n) {
    return n.isContainerNode() ? "none" : n.isNull() ? "-" : n.asText();
  }
}
