package io.lockstep.dsl

import java.nio.file.Path

/** Paths of the test fixtures, as a user would name them (relative to the module). */
class Fixtures {

    static final Path ROOT = Path.of('src/test/resources')
    static final Path DEMO = ROOT.resolve('demo/upgrade.groovy')
    static final Path STAGING = ROOT.resolve('demo/env/staging.groovy')

    static PlaybookLoader loader() {
        PlaybookLoader.create(TestStepTypes.all())
    }
}
