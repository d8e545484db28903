environment('staging') {
    vars { port = 1 }
}
