package io.lockstep.dsl.spec

import groovy.transform.CompileStatic
import io.lockstep.dsl.internal.EnvironmentLoader
import io.lockstep.dsl.internal.Pos

/** Base class of environment scripts: {@code environment('name') { inherits ...; vars { } ... }}. */
@CompileStatic
abstract class EnvironmentScript extends DslScript {

    private EnvironmentSpec lockstepEnvironment
    private EnvironmentLoader lockstepLoader

    @Override
    protected boolean isEnvironmentScript() {
        true
    }

    void attachLoader(EnvironmentLoader loader) {
        this.lockstepLoader = loader
    }

    /** The environment this script declared, or {@code null}. */
    EnvironmentSpec declaredEnvironment() {
        lockstepEnvironment
    }

    /** Declares the environment: targets, variables and secret references. */
    void environment(String name, @DelegatesTo(value = EnvironmentSpec, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        Pos at = lockstepContext.here()
        if (lockstepContext.top() != null || lockstepEnvironment != null) {
            lockstepContext.problem(at, 'a file holds one environment block, at its top level', null)
            return
        }
        lockstepEnvironment = new EnvironmentSpec(lockstepContext, at, name, lockstepLoader)
        lockstepContext.evaluate(lockstepEnvironment, body)
    }
}
