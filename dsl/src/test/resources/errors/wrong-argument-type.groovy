playbook('p') {
    phase('a') {
        command 'c', args: ['true'], captureBytes: 'lots'
    }
}
