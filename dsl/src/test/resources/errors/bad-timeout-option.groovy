playbook('p') {
    phase('a') {
        command('c', args: ['true']) {
            timeout 30
        }
    }
}
