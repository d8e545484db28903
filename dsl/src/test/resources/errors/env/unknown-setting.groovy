environment('test') {
    variables {
        port = 1
    }
}
