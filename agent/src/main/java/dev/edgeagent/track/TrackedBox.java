package dev.edgeagent.track;

import dev.edgeagent.detect.Detection;

/** A box to redact and the track it belongs to, so a later, better estimate can replace it. */
public record TrackedBox(long trackId, Detection detection) {}
