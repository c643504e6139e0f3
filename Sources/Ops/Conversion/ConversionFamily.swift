/// Registrations of the Conversion family: one line per op.
enum ConversionFamily {
    static let schemas: [OpSchema] = [
        OpSchema(Cast.self, "Cast"),
        OpSchema(CastLike.self, "CastLike", versions: 15...OpRegistry.maximumOpset),
    ]
}
