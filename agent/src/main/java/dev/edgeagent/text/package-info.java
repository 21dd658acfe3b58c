/**
 * Text: small string measures shared by features (a misspelt setting's nearest key in config,
 * a misread plate word's nearest listed word in detect).
 */
package dev.edgeagent.text;
