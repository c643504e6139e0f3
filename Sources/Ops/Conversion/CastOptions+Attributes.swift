import ONNXGraph

extension CastOptions {
    /// Reads `saturate` (opset 19+) and `round_mode` (opset 24+) from a Cast / CastLike node.
    init(_ node: NodeAttributes) throws(OpError) {
        self.init()
        if node.opset >= 19 {
            saturate = try node.int("saturate", default: 1) != 0
        }
        if node.opset >= 24 {
            switch try node.string("round_mode", default: "up") {
            case "up": rounding = .up
            case "down": rounding = .down
            case "nearest": rounding = .nearest
            case let other: throw OpError(.invalidAttribute("round_mode", "expected up, down or nearest, got '\(other)'"))
            }
        }
    }
}
