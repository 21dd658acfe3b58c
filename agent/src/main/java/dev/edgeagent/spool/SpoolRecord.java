package dev.edgeagent.spool;

/**
 * One spooled record: its position in the spool, the Kafka key (camera id), the record id
 * consumers de-duplicate on, and the encoded value (an anonymized frame record).
 */
public record SpoolRecord(long offset, String key, String recordId, byte[] value) {}
