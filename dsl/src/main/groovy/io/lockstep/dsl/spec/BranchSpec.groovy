package io.lockstep.dsl.spec

import groovy.transform.CompileStatic
import io.lockstep.dsl.internal.CompileContext
import io.lockstep.dsl.internal.Pos

/** The delegate of {@code branch('name') { }}: one parallel branch of several steps in order. */
@CompileStatic
class BranchSpec extends ContainerSpec {

    BranchSpec(CompileContext ctx, Pos pos, String name, String path, String suffix) {
        super(ctx, pos, name, path, suffix)
    }
}
