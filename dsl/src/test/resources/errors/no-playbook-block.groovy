// only a helper, no playbook
def helper() {
    'x'
}
