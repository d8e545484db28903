playbook('p') {
    phase('a') {
        step('switch') {
            idempotent true
        }
    }
}
