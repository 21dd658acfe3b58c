package dev.edgeagent.detect;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says once per process that a provider did not load. Every model tries the provider again (a
 * session is per model), and the same reason five times over would bury it; the metric and the
 * health field still name the provider of every model.
 */
final class ProviderWarnings {
  private static final Logger LOG = LoggerFactory.getLogger(ProviderWarnings.class);
  /** The agent's: one line on the log per provider. */
  static final ProviderWarnings LOGGED = new ProviderWarnings(LOG::warn);

  private final Set<InferenceProvider> warned = ConcurrentHashMap.newKeySet();
  private final Consumer<String> sink;

  ProviderWarnings(Consumer<String> sink) {
    this.sink = sink;
  }

  void unavailable(InferenceProvider provider, ProviderRequest requested, InferenceProvider fallback,
      String model, String reason) {
    if (warned.add(provider)) {
      sink.accept("event=provider_unavailable provider=" + provider.label() + " requested=" + requested.label()
          + " fallback=" + fallback.label() + " first_model=" + model + " reason=\"" + reason.replace('"', '\'')
          + "\" hint=\"edge-agent doctor shows the GPU, drivers and libraries this box has\"");
    }
  }
}
