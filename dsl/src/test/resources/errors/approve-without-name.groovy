playbook('p') {
    phase('a') {
        command 'c', args: ['true']
    }
    approve prompt: 'Go live?'
}
