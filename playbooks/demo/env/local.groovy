// The demo service as `bin/demo` installs it: build/demo/service in the repository.
environment('local') {
    inherits 'base.groovy'
    vars {
        // Relative to the playbook's directory (playbooks/demo).
        home = '../../build/demo/service'
    }
}
