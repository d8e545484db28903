playbook('nothing') {
    description 'forgot the steps'
}
