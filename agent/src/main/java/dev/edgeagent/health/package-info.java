/**
 * Health: the localhost HTTP endpoints /health/live, /health/ready and /metrics (Prometheus text) and the agent's counters.
 */
package dev.edgeagent.health;
