/**
 * Spool: the durable on-disk hand-off between encoding and publishing (append-only, checksummed segments).
 */
package dev.edgeagent.spool;
