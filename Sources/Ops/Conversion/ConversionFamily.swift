/// Registrations of the Conversion family: one line per op.
enum ConversionFamily {
    static let schemas: [OpSchema] = [
    ]
}
