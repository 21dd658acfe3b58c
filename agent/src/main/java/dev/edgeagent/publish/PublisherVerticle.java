package dev.edgeagent.publish;

import dev.edgeagent.config.AgentConfig;
import dev.edgeagent.health.AgentMetrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * The publishing side as a verticle: deploying it opens the spool and the Kafka link (and the
 * embedded broker of the demo profile), undeploying it closes them. Deploy it with the worker
 * threading model: opening and closing read and sync files and wait for a broker.
 */
public final class PublisherVerticle extends VerticleBase {
  private final AgentConfig cfg;
  private final AgentMetrics metrics;
  private volatile KafkaPublishing publishing;

  public PublisherVerticle(AgentConfig cfg, AgentMetrics metrics) {
    this.cfg = cfg;
    this.metrics = metrics;
  }

  /** The open link; null before start. */
  public KafkaPublishing publishing() {
    return publishing;
  }

  @Override
  public Future<?> start() throws Exception {
    publishing = KafkaPublishing.open(cfg, metrics);
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() throws Exception {
    KafkaPublishing p = publishing;
    if (p != null) {
      p.close();
    }
    return Future.succeededFuture();
  }
}
