/**
 * The Kafka record the agent publishes: the protobuf schema ({@code edgeagent/v1/frame.proto},
 * generated into {@code dev.edgeagent.protocol.v1}), a validating codec and the record id
 * consumers deduplicate on. Depends on protobuf only, so fleet-side consumers can use it
 * without the agent.
 */
package dev.edgeagent.protocol;
