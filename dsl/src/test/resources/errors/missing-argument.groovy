playbook('p') {
    phase('backup') {
        backupFiles 'data', keep: 2
    }
}
