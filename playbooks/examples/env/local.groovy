// Where config-release.groovy writes; an embedder usually generates this file or its own.
environment('local') {
    vars {
        configDir = '../../build/examples/config'
    }
}
