command 'early', args: ['true']

playbook('p') {
    phase('a') {
        command 'c', args: ['true']
    }
}
