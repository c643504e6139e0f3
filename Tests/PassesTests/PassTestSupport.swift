import Foundation
import Interpreter
import ONNXGraph
import Ops
import Passes

/// Deterministic pseudo-random numbers (SplitMix64), so failures reproduce.
struct SeededRandom {
    var state: UInt64
    init(_ seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [lo, hi).
    mutating func float(_ lo: Float, _ hi: Float) -> Float {
        lo + (hi - lo) * Float(next() >> 40) / Float(1 << 24)
    }
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }
}

enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static func path(_ name: String) -> String { root + "/testdata/" + name }

    static func floats(_ rng: inout SeededRandom, _ shape: [Int], _ lo: Float = -1, _ hi: Float = 1) throws -> Tensor {
        let n = shape.reduce(1, *)
        return try Tensor(.float, shape: shape, values: (0..<n).map { _ in rng.float(lo, hi) })
    }
    static func int8s(_ rng: inout SeededRandom, _ shape: [Int]) throws -> Tensor {
        let n = shape.reduce(1, *)
        return try Tensor(.int8, shape: shape, values: (0..<n).map { _ in Int8(rng.int(-128...127)) })
    }
    static func uint8s(_ rng: inout SeededRandom, _ shape: [Int]) throws -> Tensor {
        let n = shape.reduce(1, *)
        return try Tensor(.uint8, shape: shape, values: (0..<n).map { _ in UInt8(rng.int(0...255)) })
    }

    /// Random feeds for `inputs`: symbolic dims from `dims` (else 3), int64 masks all ones, other
    /// int64 inputs ids in 0..<vocab, floats uniform in [-1, 1).
    static func feeds(_ inputs: [ValueInfo], dims: [String: Int], seed: UInt64, vocab: Int = 1024) throws -> [String: Tensor] {
        var rng = SeededRandom(seed)
        var out: [String: Tensor] = [:]
        for info in inputs {
            guard let type = info.type, let dt = type.dataType, let ds = type.dims else { continue }
            let shape = ds.map { d -> Int in
                switch d {
                case .value(let v): v
                case .symbol(let s): dims[s] ?? 3
                case .unknown: 3
                }
            }
            let n = shape.reduce(1, *)
            switch dt {
            case .int64:
                let mask = info.name.contains("mask")
                out[info.name] = try Tensor(.int64, shape: shape, values: (0..<n).map { _ in mask ? Int64(1) : Int64(rng.int(0...(vocab - 1))) })
            case .float:
                out[info.name] = try floats(&rng, shape)
            default:
                continue
            }
        }
        return out
    }

    /// True when both maps hold the same names with identical types, shapes and bytes.
    static func bitIdentical(_ a: [String: Tensor], _ b: [String: Tensor]) -> Bool {
        guard Set(a.keys) == Set(b.keys) else { return false }
        for (name, x) in a {
            guard let y = b[name], x.dataType == y.dataType, x.shape == y.shape, x.byteCount == y.byteCount else { return false }
            if memcmp(x.data, y.data, x.byteCount) != 0 { return false }
        }
        return true
    }

    /// Op histogram over a graph and its subgraphs, keyed `domain::Op` (`Op` for ai.onnx).
    static func histogram(_ g: Graph) -> [String: Int] {
        var h: [String: Int] = [:]
        func walk(_ g: Graph) {
            for node in g.nodes {
                h[node.domain.isEmpty ? node.opType : node.domain + "::" + node.opType, default: 0] += 1
                for s in node.subgraphs { walk(s) }
            }
        }
        walk(g)
        return h
    }
}

/// Builders for the pattern quantize_dynamic writes, and its near misses.
enum Pattern {
    static let fused = "ai.onnxrun::QuantizedMatMulFloat"

    struct Options {
        var m = 5, k = 37, n = 20
        var perColumnScale = false
        var perColumnZeroPoint = false
        var bias = true
        var biasFirst = true
        var castTo = Int(DataType.float.rawValue)
        /// The Mul's other operand is a graph input of shape [m, n] instead of the scale product.
        var mulByActivation = false
        /// The Cast output is also a graph output.
        var castIsOutput = false
        /// The MatMulInteger output is also read by a second node.
        var integerReadTwice = false
        /// The Mul output is a graph output (the Add stays).
        var mulIsOutput = false
        /// The scale product is also a graph output (the Mul(a_scale, b_scale) stays).
        var scaleIsOutput = false
    }

    /// x (float [m, k]) ─▶ DynamicQuantizeLinear ─▶ MatMulInteger(W int8 [k, n], zp) ─▶ Cast ─▶
    /// Mul(Mul(x_scale, w_scale)) ─▶ Add(bias) ─▶ y, with weights from `seed`.
    static func model(_ o: Options, seed: UInt64 = 1) throws -> Model {
        var rng = SeededRandom(seed)
        var inits: [(String, Tensor)] = [
            ("W", try Fixtures.int8s(&rng, [o.k, o.n])),
            ("W_zp", o.perColumnZeroPoint ? try Fixtures.int8s(&rng, [o.n]) : try Tensor(.int8, shape: [], values: [Int8(3)])),
            ("W_scale", o.perColumnScale ? try Fixtures.floats(&rng, [o.n], 0.001, 0.02) : try Tensor(.float, shape: [], values: [Float(0.0123)])),
            ("bias", try Fixtures.floats(&rng, [o.n], -0.5, 0.5)),
        ]
        if o.castTo == Int(DataType.float16.rawValue) {
            inits.append(("half", try Tensor(.float16, shape: [], values: [UInt16(0x3C00)])))
        }
        var inputs = [ValueInfo(name: "x", type: TensorType(.float, shape: [o.m, o.k]))]
        var outputs = [ValueInfo(name: o.bias ? "y" : "scaled", type: nil)]
        var nodes = [
            Node(name: "dql", opType: "DynamicQuantizeLinear", inputs: ["x"], outputs: ["xq", "x_scale", "x_zp"]),
            Node(name: "mmi", opType: "MatMulInteger", inputs: ["xq", "W", "x_zp", "W_zp"], outputs: ["acc"]),
            Node(name: "cast", opType: "Cast", inputs: ["acc"], outputs: ["accf"], attributes: ["to": .int(o.castTo)]),
            Node(name: "scales", opType: "Mul", inputs: ["x_scale", "W_scale"], outputs: ["s"]),
        ]
        let factor = o.castTo == Int(DataType.float16.rawValue) ? "half" : (o.mulByActivation ? "gate" : "s")
        nodes.append(Node(name: "mul", opType: "Mul", inputs: ["accf", factor], outputs: ["scaled"]))
        if o.mulByActivation { inputs.append(ValueInfo(name: "gate", type: TensorType(.float, shape: [o.m, o.n]))) }
        if o.bias {
            nodes.append(Node(name: "add", opType: "Add", inputs: o.biasFirst ? ["bias", "scaled"] : ["scaled", "bias"], outputs: ["y"]))
        }
        if o.castIsOutput { outputs.append(ValueInfo(name: "accf", type: nil)) }
        if o.mulIsOutput { outputs.append(ValueInfo(name: "scaled", type: nil)) }
        if o.scaleIsOutput { outputs.append(ValueInfo(name: "s", type: nil)) }
        if o.integerReadTwice {
            nodes.append(Node(name: "neg", opType: "Neg", inputs: ["acc"], outputs: ["acc_neg"]))
            outputs.append(ValueInfo(name: "acc_neg", type: nil))
        }
        if o.castTo == Int(DataType.float16.rawValue) {
            inits.removeAll { $0.0 == "bias" }
            nodes.removeAll { $0.opType == "Add" || $0.name == "scales" }
            outputs = [ValueInfo(name: "scaled", type: nil)]
        }
        let g = Graph(name: "pattern", inputs: inputs, outputs: outputs, initializers: inits, nodes: nodes)
        return Model(irVersion: 10, opsetImports: ["": 21], graph: g)
    }

    /// Feeds for `model(o)`.
    static func feeds(_ o: Options, seed: UInt64) throws -> [String: Tensor] {
        var rng = SeededRandom(seed)
        var f = ["x": try Fixtures.floats(&rng, [o.m, o.k], -3, 2)]
        if o.mulByActivation { f["gate"] = try Fixtures.floats(&rng, [o.m, o.n]) }
        return f
    }
}

/// Runs `model` with and without the standard pipeline; returns both results.
func runBothWays(_ model: Model, _ feeds: [String: Tensor]) throws -> (plain: [String: Tensor], passed: [String: Tensor]) {
    let plain = try Session(model: model, options: SessionOptions(passes: .none)).run(feeds)
    let passed = try Session(model: model, options: SessionOptions(passes: .standard)).run(feeds)
    return (plain, passed)
}
