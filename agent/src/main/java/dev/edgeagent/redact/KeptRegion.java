package dev.edgeagent.redact;

import dev.edgeagent.detect.Box;
import dev.edgeagent.detect.ObjectClass;

/**
 * A region the detectors found that was left unredacted because an explicit keep list asked
 * for it ({@code anonymize --keep}): what was found, with which score, and the keep-list entry
 * that asked (file and line), so the frame's record says why a detection was not removed.
 */
public record KeptRegion(ObjectClass cls, Box detected, double score, String reason) {}
