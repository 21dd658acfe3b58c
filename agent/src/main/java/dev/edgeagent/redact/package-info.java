/**
 * Redact: the only place a RawFrame becomes publishable. Removes detected regions (inpaint, blur, pixelate, solid) and creates {@link dev.edgeagent.redact.AnonymizedFrame}, which carries the redacted boxes and the detector model hashes.
 */
package dev.edgeagent.redact;
