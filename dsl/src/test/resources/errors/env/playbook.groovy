// A valid playbook, loaded with the broken environment files next to it.
playbook('env-check') {
    preflight {
        command 'ok', args: ['true']
    }
}
