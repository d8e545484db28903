environment('a') {
    inherits 'cycle-b.groovy'
}
