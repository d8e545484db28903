playbook('p') {
    phase {
        command 'c', args: ['true']
    }
}
