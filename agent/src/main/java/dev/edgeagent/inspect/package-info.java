/**
 * Inspect: a crop-anomaly map for field and vegetation imagery. The project's own patch flow
 * (models/anomaly, pinned in models/own-models.tsv) gives every 16x16 patch of the image a
 * negative log-likelihood under "healthy vegetation and field texture" and under everyday photos;
 * their ratio, plus how far the patch's colour and texture statistics lie from the rest of its
 * own image ({@link dev.edgeagent.inspect.SelfReference}, ADR 0024), is the patch's score. The
 * patches whose score is over the model's calibrated threshold are grouped into flagged regions.
 *
 * <p>Like enhance, every entry point takes an {@link dev.edgeagent.redact.AnonymizedFrame}: the
 * heatmap overlay is drawn on redacted pixels, so inspection never sees or writes a raw frame.
 * What the scores can and cannot be trusted for is in models/anomaly/MODEL_CARD.md.
 */
package dev.edgeagent.inspect;
