/**
 * Publish: sinks for encoded, anonymized frames (a local directory, Kafka) and the embedded single-node Kafka broker used by demo mode and tests.
 */
package dev.edgeagent.publish;
