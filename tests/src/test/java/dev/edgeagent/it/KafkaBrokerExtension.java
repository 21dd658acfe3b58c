package dev.edgeagent.it;

import dev.edgeagent.demo.EmbeddedKafkaBroker;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real broker per test class: started before the first test (random loopback ports, temp
 * data dir), stopped and deleted after the last. Register as a static field:
 * {@code @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();}
 * Tests share it, so each uses its own topic.
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, AfterAllCallback {
  private final EmbeddedKafkaBroker.Options options;
  private EmbeddedKafkaBroker broker;

  public KafkaBrokerExtension() {
    this(EmbeddedKafkaBroker.Options.defaults());
  }

  public KafkaBrokerExtension(EmbeddedKafkaBroker.Options options) {
    this.options = options;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    broker = EmbeddedKafkaBroker.start(options);
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (broker != null) {
      broker.close();
      broker = null;
    }
  }

  public EmbeddedKafkaBroker broker() {
    if (broker == null) {
      throw new IllegalStateException("the broker runs only between beforeAll and afterAll");
    }
    return broker;
  }

  public String bootstrapServers() {
    return broker().bootstrapServers();
  }
}
