playbook('p') {
    param 'batchSize', Integer, default: 2
    phase('a') {
        command 'c', args: ['echo', "${params.batchSize}"]
    }
}
