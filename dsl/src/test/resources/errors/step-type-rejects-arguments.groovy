playbook('p') {
    phase('a') {
        command 'c', dir: '/tmp'
    }
}
