playbook('p') {
    phase('backup') {
        backupFile 'data', path: 'build/data'
    }
}
