import ONNXGraph
import Testing
@testable import Ops

// Expected values were computed with numpy's clip (the project venv) and pasted in.

@Suite("Extra ops: Clip")
struct ExtraClipTests {
    static let x: [Float] = [-3.5, -1, 0, 0.75, 2, 7, .nan]

    @Test func boundsFromInputs() throws {
        let x = try XT.f32([7], Self.x)
        let lo = try XT.f32([], [-1.5]), hi = try XT.f32([], [2.5])
        #expect(XT.bits(try XT.run("Clip", [x, lo, hi], opset: 13)) == XT.bits([-1.5, -1, 0, 0.75, 2, 2.5, .nan]))
        // min > max: every (non-NaN) value becomes max.
        let two = try XT.f32([], [2]), one = try XT.f32([], [1])
        #expect(XT.bits(try XT.run("Clip", [x, two, one], opset: 11)) == XT.bits([1, 1, 1, 1, 1, 1, .nan]))
        // Omitted bounds do not clip.
        let zero = try XT.f32([], [0])
        #expect(XT.bits(try XT.run("Clip", [x, zero], opset: 13)) == XT.bits([0, 0, 0, 0.75, 2, 7, .nan]))
        #expect(XT.bits(try XT.run("Clip", [x, nil, zero], opset: 13)) == XT.bits([-3.5, -1, 0, 0, 0, 0, .nan]))
        #expect(XT.bits(try XT.run("Clip", [x], opset: 13)) == XT.bits(Self.x))
        // A NaN bound makes every output NaN (as numpy's clip).
        let nan = try XT.f32([1], [.nan])
        #expect(XT.bits(try XT.run("Clip", [x, nan, one], opset: 13)) == XT.bits(Array(repeating: .nan, count: 7)))
    }

    @Test func attributesBeforeOpset11() throws {
        let x = try XT.f32([7], Self.x)
        let y = try XT.run("Clip", [x], opset: 6, ["min": .float(-1.5), "max": .float(2.5)])
        #expect(XT.bits(y) == XT.bits([-1.5, -1, 0, 0.75, 2, 2.5, .nan]))
        let onlyMax = try XT.run("Clip", [x], opset: 1, ["max": .float(0)])
        #expect(XT.bits(onlyMax) == XT.bits([-3.5, -1, 0, 0, 0, 0, .nan]))
        let d = try XT.run("Clip", [XT.f64([3], [-5, 0.25, 9])], opset: 6, ["min": .float(0)])
        #expect(d.toArray(Double.self) == [0, 0.25, 9])
    }

    @Test func otherTypes() throws {
        let u = try Tensor(.uint8, shape: [4], values: [UInt8(0), 200, 255, 17])
        let y = try XT.run("Clip", [u, Tensor(.uint8, shape: [], values: [UInt8(10)]),
                                    Tensor(.uint8, shape: [], values: [UInt8(201)])], opset: 12)
        #expect(y.toArray(UInt8.self) == [10, 200, 201, 17])
        let i = try XT.i64([3], [Int64.min, 5, Int64.max])
        let z = try XT.run("Clip", [i, XT.i64([], [-10]), XT.i64([], [1_000_000_000_000])], opset: 13)
        #expect(z.toArray(Int64.self) == [-10, 5, 1_000_000_000_000])
        // float16 [0.1, 1000, -3] into [-1, 2.5].
        let h = try XT.run("Clip", [XT.half(.float16, [3], [11878, 25552, 49664]), XT.half(.float16, [], [48128]),
                                    XT.half(.float16, [], [16640])], opset: 13)
        #expect(h.toArray(UInt16.self) == [11878, 16640, 48128])
        // bfloat16 [1.5, -2, 3, 0.25] into [-1, 2].
        let b = try XT.run("Clip", [XT.half(.bfloat16, [4], [16320, 49152, 16448, 16000]), XT.half(.bfloat16, [], [49024]),
                                    XT.half(.bfloat16, [], [16384])], opset: 13)
        #expect(b.toArray(UInt16.self) == [16320, 49024, 16384, 16000])
    }

    @Test func badInput() throws {
        let x = try XT.f32([2], [1, 2])
        // Bounds must match the input type and hold one value.
        #expect(throws: OpError.self) { try XT.run("Clip", [x, XT.f64([], [0])], opset: 13) }
        #expect(throws: OpError.self) { try XT.run("Clip", [x, XT.f32([2], [0, 1])], opset: 13) }
        #expect(throws: OpError.self) { try XT.run("Clip", [x, nil, XT.f32([0], [])], opset: 13) }
        // Integers from opset 12 only; never bool or strings.
        let i = try Tensor(.int32, shape: [1], values: [Int32(3)])
        #expect(throws: OpError.self) { try XT.run("Clip", [i], opset: 11) }
        #expect(throws: OpError.self) { try XT.run("Clip", [Tensor(.bool, shape: [1], values: [UInt8(1)])], opset: 13) }
        // Attributes are float; inputs beyond X only from opset 11.
        #expect(throws: OpError.self) { try XT.run("Clip", [x], opset: 6, ["min": .int(0)]) }
        #expect(throws: OpError.self) { try XT.run("Clip", [x, x], opset: 6) }
        #expect(throws: OpError.self) { try XT.run("Clip", [x, x, x, x], opset: 13) }
    }
}
