/**
 * Pipeline: the one place where stages are wired together, so the path of a frame reads top to bottom: capture, detect, track, redact, encode, sink.
 */
package dev.edgeagent.pipeline;
