playbook('p') {
    param 'version', String, default: '1.0'
    phase('a') {
        command 'c', args: ['echo', parms.version]
    }
}
