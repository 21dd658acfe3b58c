/**
 * Enhance: optional x2 super-resolution of frames that are already anonymized. Every entry point
 * takes an {@link dev.edgeagent.redact.AnonymizedFrame}, so SR
 * can never see a raw frame: it runs after redaction, by construction. The models are the
 * project's own (models/own-models.tsv), sha256-pinned like the detectors. With
 * enhance.uncertainty, {@link dev.edgeagent.enhance.SrUncertainty} samples the flow model K times
 * (its sampling graph takes the latent as an input) and attaches the per-pixel spread as a map.
 */
package dev.edgeagent.enhance;
