package io.lockstep.dsl.spec

import groovy.transform.CompileStatic
import io.lockstep.dsl.internal.CompileContext
import io.lockstep.dsl.internal.Pos

/** A recorded {@code approve 'name', prompt: '...'}. */
@CompileStatic
class ApprovalSpec extends NodeSpec {

    final Map<String, Object> options

    ApprovalSpec(CompileContext ctx, Pos pos, String name, String path, String suffix, Map<String, Object> options) {
        super(ctx, pos, name, path, suffix)
        this.options = options
    }
}
