// What every environment of the demo shares.
environment('base') {
    vars {
        port = 18080
    }
}
