package dev.edgeagent.redact;

import dev.edgeagent.detect.Box;
import dev.edgeagent.detect.ObjectClass;

/**
 * One removed region as published: the detected box, the box actually redacted (with margin,
 * clipped to the frame), its class and score, and how it was removed.
 */
public record Redaction(ObjectClass cls, Box detected, Box redacted, double score,
    RedactionMode mode, double margin) {}
