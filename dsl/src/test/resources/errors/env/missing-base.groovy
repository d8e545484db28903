environment('staging') {
    inherits 'no-such-base.groovy'
}
