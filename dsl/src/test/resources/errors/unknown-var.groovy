playbook('p') {
    phase('a') {
        command 'c', args: ['ls', vars.servicDir]
    }
}
