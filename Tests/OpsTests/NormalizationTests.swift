import Testing
import ONNXGraph
@testable import Ops

// Expected values: numpy (float64 math on the float32 inputs), pasted from a one-off script run
// with /work/main/.venv/bin/python. Float32 results are compared with |a - e| <= 1e-6 + 1e-5·|e|
// (the kernels' polynomial exp is within 2 ulp; sums differ from numpy's pairwise order).

/// A [2, 3, 4] float input shared by the softmax and layer-norm tests.
private let x234: [Float] = [0.5, 1.590000033378601, 1.100000023841858, -1.100000023841858, -0.800000011920929, 1.4900000095367432, -1.9800000190734863, 1.2799999713897705, 1.190000057220459, -0.12999999523162842, -0.7900000214576721, -0.8899999856948853, -0.9800000190734863, -0.2199999988079071, 0.019999999552965164, 0.20999999344348907, 1.9800000190734863, 1.1699999570846558, 0.49000000953674316, 1.9600000381469727, -1.1399999856948853, -1.3600000143051147, 0.44999998807907104, -1.8200000524520874]
/// softmax of x234 at opset 13 along each axis (-1 and -2 equal 2 and 1).
private let softmax13: [Int: [Double]] = [
    0: [0.8145725835879551, 0.8593618781558964, 0.7464939879341096, 0.21248684123007514, 0.05841455383763229, 0.579324264931725, 0.07798823307211722, 0.33626128769613167, 0.9113313402131067, 0.77381857760776, 0.22443598407091836, 0.7170752990365613, 0.18542741641204485, 0.14063812184410365, 0.2535060120658904, 0.7875131587699248, 0.9415854461623676, 0.42067573506827494, 0.9220117669278828, 0.6637387123038684, 0.08866865978689324, 0.22618142239224004, 0.7755640159290815, 0.28292470096343864],
    1: [0.30616174042372457, 0.47986866050396265, 0.8354002132427849, 0.07669546296330565, 0.0834388070814235, 0.4342031094145711, 0.03839437115738372, 0.8286870234712674, 0.610399452494852, 0.08592823008146629, 0.12620541559983128, 0.09461751356542682, 0.04728106386682551, 0.18745305849354335, 0.24170634731986945, 0.1452234880542179, 0.9124286698785116, 0.7525958886316512, 0.38672875603658363, 0.8357035103345459, 0.040290266254662824, 0.05995105287480551, 0.37156489664354697, 0.019073001611236245],
    2: [0.16671419330286638, 0.4958537192198857, 0.3037730731516047, 0.03365901432564317, 0.05211947653394987, 0.5146765937918846, 0.01601520689135369, 0.41718872278281194, 0.6535372252648589, 0.17458285485981664, 0.09023337914720231, 0.08164654072812212, 0.10936564284624173, 0.23385395817665255, 0.2972866451440761, 0.35949375383302956, 0.3772973564290737, 0.16784376196762665, 0.08503250633549729, 0.36982637526780227, 0.13864078863146542, 0.11126183585786699, 0.6798596008438785, 0.07023777466678897],
]
/// softmax of x234 at opset 11: x coerced to [prod(dims < axis), prod(dims >= axis)].
private let softmax11: [Int: [Double]] = [
    0: [0.034011627355015374, 0.10115990478427499, 0.06197322711300649, 0.006866828970591413, 0.009269249676568943, 0.09153326487144377, 0.0028482433280228245, 0.07419541965667796, 0.06780951364866086, 0.01811431395455887, 0.00936240709527646, 0.00847145656565439, 0.007742328081594161, 0.016555236363658996, 0.021045830126174715, 0.02544966145695554, 0.14941123434002612, 0.06646678866028809, 0.033673206329504345, 0.14645269647058182, 0.0065975770070870335, 0.005294679417710378, 0.03235286032956786, 0.0033424443970985576],
    1: [0.07003818940143818, 0.20831277777914786, 0.1276179046963197, 0.014140466229665555, 0.019087633110887407, 0.1884891914956502, 0.005865223783243318, 0.15278636333369447, 0.1396362341199175, 0.03730176561044282, 0.019279466829029798, 0.01744478361056332, 0.015051634399308662, 0.03218455256789222, 0.04091458503834333, 0.04947594519365798, 0.2904660265924116, 0.12921614688340355, 0.06546309913281627, 0.28471441933706315, 0.012826157195280224, 0.010293231960342347, 0.06289625295138429, 0.006497948748096241],
    2: [0.16671419330286638, 0.4958537192198857, 0.3037730731516047, 0.03365901432564317, 0.05211947653394987, 0.5146765937918846, 0.01601520689135369, 0.41718872278281194, 0.6535372252648589, 0.17458285485981664, 0.09023337914720231, 0.08164654072812212, 0.10936564284624173, 0.23385395817665255, 0.2972866451440761, 0.35949375383302956, 0.3772973564290737, 0.16784376196762665, 0.08503250633549729, 0.36982637526780227, 0.13864078863146542, 0.11126183585786699, 0.6798596008438785, 0.07023777466678897],
]

@Suite struct NormalizationTests {
    @Test(arguments: [(0, 0), (1, 1), (2, 2), (-1, 2), (-2, 1)])
    func softmaxOpset13(axis: Int, expectedKey: Int) throws {
        let y = try RNFixture.run("Softmax", opset: 13, [RNFixture.f32([2, 3, 4], x234)], ["axis": .int(axis)])[0]
        #expect(y.shape == [2, 3, 4])
        RNFixture.expectClose(y.toArray(Float.self), softmax13[expectedKey]!)
    }

    @Test(arguments: [0, 1, 2])
    func softmaxOpset11Coerces2D(axis: Int) throws {
        let y = try RNFixture.run("Softmax", opset: 11, [RNFixture.f32([2, 3, 4], x234)], ["axis": .int(axis)])[0]
        RNFixture.expectClose(y.toArray(Float.self), softmax11[axis]!)
    }

    @Test func softmaxDefaultAxisDependsOnOpset() throws {
        let x = try RNFixture.f32([2, 3, 4], x234)
        RNFixture.expectClose(try RNFixture.run("Softmax", opset: 13, [x])[0].toArray(Float.self), softmax13[2]!)
        RNFixture.expectClose(try RNFixture.run("Softmax", opset: 1, [x])[0].toArray(Float.self), softmax11[1]!)
    }

    @Test func logSoftmax() throws {
        let x = try RNFixture.f32([2, 3, 4], x234)
        let y13 = try RNFixture.run("LogSoftmax", opset: 13, [x], ["axis": .int(1)])[0]
        RNFixture.expectClose(y13.toArray(Float.self), [-1.1836417531940027, -0.7342428364721414, -0.1798443716607934, -2.567912725379322, -2.483641765114932, -0.8342428603139993, -3.2598444145761376, -0.18791273014769377, -0.49364169597354374, -2.454242865082371, -2.0698444169603234, -2.3579126872323495, -3.051645404724048, -1.6742268196167434, -1.4200317304678718, -1.9294814262149378, -0.09164536657707552, -0.2842268637241805, -0.9500317204840937, -0.1794813815114542, -3.211645371345447, -2.814226835113951, -0.9900317419417658, -3.9594814721105145])
        let y11 = try RNFixture.run("LogSoftmax", opset: 11, [x], ["axis": .int(1)])[0]
        RNFixture.expectClose(y11.toArray(Float.self), [-2.658714622820412, -1.5687145894418106, -2.058714598978554, -4.25871464666227, -3.958714634741341, -1.6687146132836685, -5.138714641893898, -1.8787146514306412, -1.9687145655999527, -3.2887146180520404, -3.948714644278084, -4.048714608515297, -4.196268695722876, -3.4362686754572964, -3.196268677096424, -3.0062686832059002, -1.236268657575903, -2.0462687195647336, -2.726268667112646, -1.2562686385024167, -4.356268662344275, -4.576268690954504, -2.7662686885703183, -5.036268729101477])
    }

    @Test func largeInputsStayFinite() throws {
        let x = try RNFixture.f32([1, 4], [1000, 1001, 1002, 1003])
        RNFixture.expectClose(try RNFixture.run("Softmax", opset: 13, [x])[0].toArray(Float.self), [0.03205860328008499, 0.08714431874203257, 0.23688281808991013, 0.6439142598879724])
        RNFixture.expectClose(try RNFixture.run("LogSoftmax", opset: 13, [x])[0].toArray(Float.self), [-3.4401896985611953, -2.4401896985611953, -1.4401896985611953, -0.44018969856119533])
    }

    @Test func softmaxOtherTypes() throws {
        let expected = softmax13[1]!
        let d = try RNFixture.run("Softmax", opset: 13, [try Tensor(.double, shape: [2, 3, 4], values: x234.map(Double.init))],
                                  ["axis": .int(1)])[0]
        #expect(d.dataType == .double)
        RNFixture.expectClose(d.toArray(Double.self).map { Float($0) }, expected, rtol: 1e-6, atol: 1e-7)
        // float16 and bfloat16: float32 math rounded once; tolerance is the format's half ulp plus input rounding.
        let h = try RNFixture.run("Softmax", opset: 13, [try Tensor(.float16, shape: [2, 3, 4], values: x234.map { Float16($0) })],
                                  ["axis": .int(1)])[0]
        RNFixture.expectClose(h.toArray(Float16.self).map { Float($0) }, expected, rtol: 4e-3, atol: 1e-3)
        let b = try RNFixture.run("Softmax", opset: 13, [try Tensor(.bfloat16, shape: [2, 3, 4],
                                  values: x234.map { FloatFormats.floatToBfloat16($0) })], ["axis": .int(1)])[0]
        RNFixture.expectClose(b.toArray(UInt16.self).map { FloatFormats.bfloat16ToFloat($0) }, expected, rtol: 3e-2, atol: 1e-2)
        // bfloat16 arrived at opset 13.
        #expect(throws: OpError.self) {
            try RNFixture.run("Softmax", opset: 11, [try Tensor(.bfloat16, shape: [2], values: [UInt16(0), 0])])
        }
    }

    @Test(arguments: [3, -4, 7])
    func softmaxBadAxisThrows(axis: Int) throws {
        #expect(throws: OpError.self) {
            try RNFixture.run("Softmax", opset: 13, [RNFixture.f32([2, 3, 4], x234)], ["axis": .int(axis)])
        }
        #expect(throws: OpError.self) {
            try RNFixture.run("LogSoftmax", opset: 11, [RNFixture.f32([2, 3, 4], x234)], ["axis": .int(axis)])
        }
    }

    @Test func softmaxEmptyAndScalar() throws {
        let e = try RNFixture.run("Softmax", opset: 13, [RNFixture.f32([2, 0], [])])[0]
        #expect(e.shape == [2, 0])
        let s = try RNFixture.run("Softmax", opset: 13, [RNFixture.f32([], [5])])[0]
        #expect(s.toArray(Float.self) == [1])
    }

    @Test func layerNormLastAxisWithAllOutputs() throws {
        let out = try RNFixture.run("LayerNormalization", opset: 17,
                                    [RNFixture.f32([2, 3, 4], x234), RNFixture.f32([4], [0.5, -1.0, 2.0, 1.5]),
                                     RNFixture.f32([4], [0.1, 0.2, -0.3, 0.0])], outputs: 3)
        #expect(out[0].shape == [2, 3, 4])
        #expect(out[1].shape == [2, 3, 1] && out[1].dataType == .float)
        #expect(out[2].shape == [2, 3, 1] && out[2].dataType == .float)
        RNFixture.expectClose(out[0].toArray(Float.self), [0.08889631692952936, -0.853615921496857, 0.8399778774365392, -2.402096250051975, -0.1748543567354699, -0.8287652284174949, -3.026141682638966, 1.3260214806186952, 0.9106028724976148, 0.16986607900662842, -1.8308039820151147, -1.3289065214122624, -0.7153702243396597, 0.15024858384513323, 0.8608660776166499, 1.5008339816334946, 0.5687429259418508, 0.5717617033134351, -3.241765873513089, 1.3577381733387204, -0.0009494384157785751, 0.6593931851825939, 3.018164781226872, -1.4966855018396241])
        RNFixture.expectClose(out[1].toArray(Float.self), [0.5225000083446503, -0.002500012516975403, -0.1549999862909317, -0.2425000062212348, 1.4000000059604645, -0.9675000160932541])
        RNFixture.expectClose(out[2].toArray(Float.self), [0.9869938171135687, 0.6892899270997126, 1.2053573900135472, 2.211173455242026, 1.616354875358918, 1.1704284950197477])
    }

    @Test func layerNormAxis1EpsilonNoBias() throws {
        let g34: [Float] = [-1.8600000143051147, 0.05999999865889549, -0.14000000059604645, 1.6699999570846558, 0.5199999809265137, 0.05999999865889549, -0.009999999776482582, -1.0099999904632568, -1.9500000476837158, -1.2300000190734863, 0.7699999809265137, -1.2000000476837158]
        let out = try RNFixture.run("LayerNormalization", opset: 17,
                                    [RNFixture.f32([2, 3, 4], x234), RNFixture.f32([3, 4], g34)],
                                    ["axis": .int(1), "epsilon": .float(0.1)], outputs: 3)
        #expect(out[1].shape == [2, 1, 1])
        RNFixture.expectClose(out[0].toArray(Float.self), [-0.5829094021198606, 0.07297757321537653, -0.11345624536021408, -1.689984430349674, -0.39700019987377627, 0.0680074763404413, 0.01740914092059087, -0.9690996163524243, -1.7256588090840075, 0.2564155282265693, -0.5814874042126694, 1.005616079314887, 1.574022960258757, -0.013788719233084144, 0.004920679874957366, 0.19866570627037922, 0.8083974786360115, 0.05385711456174839, -0.0034606983631732904, -1.5537724561400745, 1.9032489071912413, 1.4199948465555476, 0.24149184454724165, 1.833088759409979])
        RNFixture.expectClose(out[1].toArray(Float.self), [0.12166666984558105, 0.06333332788199186])
        RNFixture.expectClose(out[2].toArray(Float.self), [0.828349300177061, 0.8111011685056403])
        // Only Y wanted: the optional outputs are skipped.
        let y = try RNFixture.run("LayerNormalization", opset: 17,
                                  [RNFixture.f32([2, 3, 4], x234), RNFixture.f32([3, 4], g34)],
                                  ["axis": .int(-2), "epsilon": .float(0.1)])
        RNFixture.expectClose(y[0].toArray(Float.self), [-0.5829094021198606, 0.07297757321537653, -0.11345624536021408, -1.689984430349674, -0.39700019987377627, 0.0680074763404413, 0.01740914092059087, -0.9690996163524243, -1.7256588090840075, 0.2564155282265693, -0.5814874042126694, 1.005616079314887, 1.574022960258757, -0.013788719233084144, 0.004920679874957366, 0.19866570627037922, 0.8083974786360115, 0.05385711456174839, -0.0034606983631732904, -1.5537724561400745, 1.9032489071912413, 1.4199948465555476, 0.24149184454724165, 1.833088759409979])
    }

    @Test func layerNormGeneralBroadcast() throws {
        // Scale [2, 1, 1] varies across rows and B is a scalar: the general broadcast path.
        let y = try RNFixture.run("LayerNormalization", opset: 17,
                                  [RNFixture.f32([2, 3, 4], x234), RNFixture.f32([2, 1, 1], [2, -1]), RNFixture.f32([], [0.5])],
                                  ["axis": .int(1)])[0]
        RNFixture.expectClose(y.toArray(Float.self), [1.1494596617252464, 3.0205902139016443, 2.179439791576413, -1.5971539496649791, -1.0821638847393957, 2.848926824820007, -3.1077914052338045, 2.488433728212434, 2.3339368622137524, 0.06798057654118567, -1.064997566295098, -1.2366608530574064, 1.3755359522866715, 0.7377653457755118, 0.5363641083600142, 0.3769214661107004, -1.1084126914809505, -0.4286834585420204, 0.14195334068285304, -1.0916292709209654, 1.509803416803628, 1.6944212430376167, 0.1755202318213615, 2.080440316065579])
    }

    @Test func layerNormFloat16AndStashType() throws {
        let x = try Tensor(.float16, shape: [2, 3, 4], values: x234.map { Float16($0) })
        let g = try Tensor(.float16, shape: [4], values: [Float16(0.5), -1.0, 2.0, 1.5])
        let b = try Tensor(.float16, shape: [4], values: [Float16(0.1), 0.2, -0.3, 0.0])
        let out = try RNFixture.run("LayerNormalization", opset: 17, [x, g, b], outputs: 3)
        #expect(out[0].dataType == .float16 && out[1].dataType == .float && out[2].dataType == .float)
        // Inputs rounded to float16 (x234 has two decimals, gamma/beta 0.1 and 0.2 round): 1e-2 covers it.
        RNFixture.expectClose(out[0].toArray(Float16.self).map { Float($0) }, [0.08889631692952936, -0.853615921496857, 0.8399778774365392, -2.402096250051975, -0.1748543567354699, -0.8287652284174949, -3.026141682638966, 1.3260214806186952, 0.9106028724976148, 0.16986607900662842, -1.8308039820151147, -1.3289065214122624, -0.7153702243396597, 0.15024858384513323, 0.8608660776166499, 1.5008339816334946, 0.5687429259418508, 0.5717617033134351, -3.241765873513089, 1.3577381733387204, -0.0009494384157785751, 0.6593931851825939, 3.018164781226872, -1.4966855018396241], rtol: 1e-2, atol: 1e-2)
        let bf = try RNFixture.run("LayerNormalization", opset: 17, [x, g], ["stash_type": .int(16)], outputs: 3)
        #expect(bf[1].dataType == .bfloat16 && bf[2].dataType == .bfloat16)
        RNFixture.expectClose(bf[1].toArray(UInt16.self).map { FloatFormats.bfloat16ToFloat($0) }, [0.5225000083446503, -0.002500012516975403, -0.1549999862909317, -0.2425000062212348, 1.4000000059604645, -0.9675000160932541], rtol: 1e-2, atol: 2e-3)
        #expect(throws: OpError.self) {
            try RNFixture.run("LayerNormalization", opset: 17, [x, g], ["stash_type": .int(7)])
        }
    }

    @Test func layerNormBadInputsThrow() throws {
        let x = try RNFixture.f32([2, 3, 4], x234)
        #expect(throws: OpError.self) {
            try RNFixture.run("LayerNormalization", opset: 17, [x, RNFixture.f32([4], [1, 1, 1, 1])], ["axis": .int(3)])
        }
        #expect(throws: OpError.self) {
            try RNFixture.run("LayerNormalization", opset: 17, [x, RNFixture.f32([3], [1, 1, 1])])
        }
        #expect(throws: OpError.self) {
            try RNFixture.run("LayerNormalization", opset: 17, [x, try Tensor(.double, shape: [4], values: [1.0, 1, 1, 1])])
        }
    }
}
