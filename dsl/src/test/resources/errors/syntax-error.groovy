playbook('p') {
    phase('a') {
        command 'c', args: ['x'
    }
}
