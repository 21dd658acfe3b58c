package dev.edgeagent.review;

/** Escaping for text and attribute values: file names come from the input and may hold anything. */
final class Html {
  private Html() {}

  static String text(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c < 0x20 && c != '\n' && c != '\t' ? '?' : c);
      }
    }
    return b.toString();
  }

  /** An attribute value (always written in double quotes); newlines survive as character references. */
  static String attribute(String s) {
    return text(s).replace("\n", "&#10;");
  }
}
