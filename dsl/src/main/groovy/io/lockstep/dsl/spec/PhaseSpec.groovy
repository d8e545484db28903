package io.lockstep.dsl.spec

import groovy.transform.CompileStatic
import io.lockstep.dsl.internal.CompileContext
import io.lockstep.dsl.internal.Pos

/** The delegate of {@code phase('name') { }}, {@code preflight { }} and {@code verify { }}. */
@CompileStatic
class PhaseSpec extends ContainerSpec {

    PhaseSpec(CompileContext ctx, Pos pos, String name, String path) {
        super(ctx, pos, name, path, '')
    }
}
