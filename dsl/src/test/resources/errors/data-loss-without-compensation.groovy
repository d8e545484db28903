playbook('p') {
    phase('a') {
        command('c', args: ['true']) {
            dataLoss 'everything'
        }
    }
}
