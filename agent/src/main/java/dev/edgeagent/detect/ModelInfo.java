package dev.edgeagent.detect;

/** Identity of a model's weights: manifest name and the sha256 that was verified at load. */
public record ModelInfo(String id, String sha256) {}
