/**
 * End-to-end tests against a real Kafka broker ({@code EmbeddedKafkaBroker}, a child JVM) and
 * the real pipeline on the pinned models and test media under {@code <edgeagent.home>/.cache}.
 */
package dev.edgeagent.it;
