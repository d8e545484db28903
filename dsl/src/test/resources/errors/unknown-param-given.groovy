playbook('p') {
    param 'version', String
    phase('a') {
        command 'c', args: ['echo', "${params.version}"]
    }
}
