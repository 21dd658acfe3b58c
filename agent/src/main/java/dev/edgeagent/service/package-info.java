/**
 * Service manager integration: systemd's notify protocol (READY=1, WATCHDOG=1, STOPPING=1,
 * STATUS=) sent as datagrams to {@code $NOTIFY_SOCKET}, and the camera progress check that
 * decides whether the watchdog may be fed. Without {@code $NOTIFY_SOCKET} everything here is a
 * no-op, so the agent runs the same by hand, in tests and under systemd.
 */
package dev.edgeagent.service;
