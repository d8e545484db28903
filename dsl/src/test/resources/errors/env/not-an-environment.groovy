playbook('oops') {
    preflight {
        command 'ok', args: ['true']
    }
}
