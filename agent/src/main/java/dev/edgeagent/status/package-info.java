/**
 * The live status page an operator opens at the agent's HTTP port: per camera a throttled
 * preview of the anonymized output, frames/s, drops by reason, faces and plates per minute; the
 * broker link, the spool's depth and the age of its oldest record; the models with their
 * hashes and providers; recent warnings. Served from the jar (no CDN, no build step), pushed
 * over one Server-Sent Events stream, guarded by a token whenever the server is reachable from
 * other machines ({@link dev.edgeagent.status.StatusAccess}).
 *
 * <p>What reaches a page comes from the event bus ({@link dev.edgeagent.events}) and from
 * counters: this package never sees a frame, raw or anonymized (ArchitectureTest).
 */
package dev.edgeagent.status;
