package io.lockstep.dsl.spec

import groovy.transform.CompileStatic
import io.lockstep.dsl.internal.CompileContext
import io.lockstep.dsl.internal.Pos

/** The delegate of a rolling block's body, evaluated once per target; ids end in {@code @target}. */
@CompileStatic
class RollingBodySpec extends ContainerSpec {

    RollingBodySpec(CompileContext ctx, Pos pos, String name, String path, String suffix) {
        super(ctx, pos, name, path, suffix)
    }
}
