/**
 * The executor behind {@link io.lockstep.engine.Lockstep}: tree walk, step attempts, compensation,
 * replay of journals. Internal: no compatibility guarantee between versions; embedders use {@code
 * io.lockstep.engine} and its {@code model}, {@code spi}, {@code journal} and {@code report}
 * packages. The few public types here are public only because {@code Lockstep} calls them.
 */
package io.lockstep.engine.internal;
