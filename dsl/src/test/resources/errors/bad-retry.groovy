playbook('p') {
    phase('a') {
        command('c', args: ['true']) {
            retry attempts: 0, delay: '1s'
        }
    }
}
