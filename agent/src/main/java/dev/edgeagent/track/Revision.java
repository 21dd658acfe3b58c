package dev.edgeagent.track;

import dev.edgeagent.detect.Detection;

/**
 * What the tracker now knows about an earlier frame, {@code framesAgo} frames before the
 * current one: the box of track {@code trackId} there. It replaces whatever that track had on
 * that frame (a held prediction becomes an interpolation between two detections; a guess made
 * at a track's birth becomes one run back along its measured velocity). Only frames still in
 * the look-ahead line can take it.
 */
public record Revision(int framesAgo, long trackId, Detection detection) {}
