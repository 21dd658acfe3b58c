package dev.edgeagent.cli;

import dev.edgeagent.detect.ModelManifest;
import dev.edgeagent.detect.OwnModelManifest;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** Version of the agent and the sha256 pins of the models it will accept. */
public final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = EdgeAgentCli.class.getPackage().getImplementationVersion();
    List<String> lines = new ArrayList<>();
    lines.add("edge-agent " + (v == null ? "dev" : v) + " (Java " + Runtime.version() + ")");
    lines.add("models (sha256 pins):");
    ModelManifest.load().entries().values().forEach(e -> lines.add(
        "  " + e.name() + "  " + e.sha256() + "  " + e.pkg() + "@" + e.version()));
    OwnModelManifest.load().entries().values().forEach(e -> lines.add(
        "  " + e.name() + "  " + e.sha256() + "  " + e.path()));
    return lines.toArray(String[]::new);
  }
}
