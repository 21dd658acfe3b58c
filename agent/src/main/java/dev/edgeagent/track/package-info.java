/**
 * Track: holds redaction boxes alive across detector misses (IoU association with a hold count and box smoothing), so a detector that blinks for a frame does not leak that frame.
 */
package dev.edgeagent.track;
