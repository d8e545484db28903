package io.lockstep.dsl.spec

import groovy.transform.CompileStatic
import io.lockstep.dsl.internal.CompileContext
import io.lockstep.dsl.internal.Pos

/** A recorded element of the playbook tree, with its name and its place in the tree. */
@CompileStatic
abstract class NodeSpec extends DslReceiver {

    /** As written; {@code null} when the call gave none (a problem is reported). */
    final String name
    /** The id without the target suffix: {@code upgrade/stop}. */
    final String path
    /** {@code @gw-1} inside a rolling block, else empty. */
    final String suffix

    protected NodeSpec(CompileContext ctx, Pos pos, String name, String path, String suffix) {
        super(ctx, pos)
        this.name = name
        this.path = path
        this.suffix = suffix
    }

    /** The stable id: path plus target suffix. */
    String id() {
        path + suffix
    }
}
