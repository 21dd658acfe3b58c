/**
 * Benchmarks run by {@code edge-agent bench} that drive the agent from outside: the whole
 * agent with several cameras ({@code --cameras}), and the model hot path as it was against as
 * it is ({@code --hot-path}: buffers, pinned outputs, batching). Measurement code only; the product's packages
 * never depend on it. (The publishing benchmark stays in {@code publish}: it times the spool and
 * the record encoder, which are that package's own.)
 */
package dev.edgeagent.bench;
