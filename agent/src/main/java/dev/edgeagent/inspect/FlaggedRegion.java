package dev.edgeagent.inspect;

/**
 * Connected flagged patches, boxed in the pixels of the image as given.
 *
 * @param score the region's most unusual patch
 * @param meanScore mean over its patches
 * @param patches how many grid patches it joins
 */
public record FlaggedRegion(int x, int y, int w, int h, double score, double meanScore, int patches) {}
