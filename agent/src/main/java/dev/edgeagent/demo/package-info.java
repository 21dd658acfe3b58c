/**
 * What the demo needs and the product does not: a single-node KRaft broker in a child JVM
 * ({@code kafka.bootstrap: embedded}), also used by the tests. No feature package depends on
 * it except the publisher's start-up, which starts it only when the config asks for it.
 */
package dev.edgeagent.demo;
