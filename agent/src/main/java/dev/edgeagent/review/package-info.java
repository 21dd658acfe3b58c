/**
 * Review and undo for batch anonymization ({@code anonymize --review DIR}, {@code --keep FILE}):
 * a self-contained HTML page with a thumbnail of every redacted region, a keep-list file, and
 * the keep list itself, which leaves exactly the regions it names unredacted on a re-run of the
 * same input. The review folder holds crops of unredacted regions, so it is the one, opt-in
 * place where raw pixels are written (ADR 0010); only the anonymize command uses this package,
 * and nothing here reaches the spool, the broker or the live agent.
 */
package dev.edgeagent.review;
