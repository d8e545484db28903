playbook('p') {
    phase('a') {
        command 'c', dir: 'build'
    }
}
