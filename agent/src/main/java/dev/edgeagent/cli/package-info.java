/**
 * CLI: the edge-agent executable (picocli): anonymize, run, validate-config, bench, version; maps failures to sysexits codes.
 */
package dev.edgeagent.cli;
