environment('b') {
    vars { x = 1 }
    inherits 'cycle-a.groovy'
}
