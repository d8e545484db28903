playbook('p') {
    phase('outer') {
        phase('inner') {
            command 'c', args: ['true']
        }
    }
}
