/**
 * Config: the typed settings registry (one source of truth per key: default, range, unit, description), YAML loading with environment interpolation, and validation that names the offending key.
 */
package dev.edgeagent.config;
