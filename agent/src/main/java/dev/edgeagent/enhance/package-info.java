/**
 * Enhance: optional super-resolution of already anonymized frames (never before redaction).
 */
package dev.edgeagent.enhance;
