package dev.edgeagent.detect;

/** One detected region; {@code score} in [0, 1]. */
public record Detection(ObjectClass cls, Box box, double score) {}
