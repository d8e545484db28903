playbook('p') {
    param 'version', String, required: true
    phase('a') {
        command 'c', args: ['echo', params.version]
    }
}
