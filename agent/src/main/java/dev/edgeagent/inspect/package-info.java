/**
 * Inspect: a crop-anomaly map for field and vegetation imagery. The project's own patch flow
 * (models/anomaly, pinned in models/own-models.tsv) gives every 16x16 patch of the image a
 * negative log-likelihood under "healthy vegetation and field texture"; the patches whose score
 * is over the model's calibrated threshold are grouped into flagged regions.
 *
 * <p>Like enhance, every entry point takes an {@link dev.edgeagent.redact.AnonymizedFrame}: the
 * heatmap overlay is drawn on redacted pixels, so inspection never sees or writes a raw frame.
 * What the scores can and cannot be trusted for is in models/anomaly/MODEL_CARD.md.
 */
package dev.edgeagent.inspect;
