/// Registrations of the Movement family: one line per op.
enum MovementFamily {
    static let schemas: [OpSchema] = [
    ]
}
