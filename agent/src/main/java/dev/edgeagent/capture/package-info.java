/**
 * Capture: turns cameras, RTSP streams, video files and image folders into {@link dev.edgeagent.capture.RawFrame}s behind one {@link dev.edgeagent.capture.FrameSource} contract. Owns decoding (JavaCV/FFmpeg, OpenCV imgcodecs) and the live-source drop-oldest buffer. A RawFrame never leaves the process: this package offers no way to encode or write one.
 */
package dev.edgeagent.capture;
