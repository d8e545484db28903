/**
 * The DSL compiler's implementation. No compatibility guarantee: use {@link
 * io.lockstep.dsl.PlaybookLoader}.
 */
package io.lockstep.dsl.internal;
