package dev.edgeagent.config;

/** One camera: its id (used in record keys and metrics) and its input (file, folder, device, URL). */
public record CameraConfig(String id, String input) {}
