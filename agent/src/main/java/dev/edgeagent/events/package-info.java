/**
 * The agent's event bus contract: what may travel on it, at which address, and the one class
 * that puts it there ({@link dev.edgeagent.events.FrameEvents}).
 *
 * <p>Two kinds of message exist: per-frame metadata ({@link dev.edgeagent.events.FrameEvent}
 * as a JSON object: counts, boxes, model ids, timings) and, for the live preview only, a JPEG
 * already encoded from an {@link dev.edgeagent.redact.AnonymizedFrame}. A raw frame has no
 * path here: this package never sees one, no custom message codec exists, and ArchitectureTest
 * keeps it so.
 */
package dev.edgeagent.events;
