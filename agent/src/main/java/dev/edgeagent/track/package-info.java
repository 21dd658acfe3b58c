/**
 * Track: keeps redaction boxes on moving objects across detector misses. Tracks follow their
 * boxes with constant-velocity Kalman filters; a missed object is redacted at its predicted box,
 * grown with the prediction's uncertainty, and with a look-back the tracker also revises earlier
 * frames (a new track run back in time, gaps interpolated) for the pipeline's look-ahead line.
 */
package dev.edgeagent.track;
