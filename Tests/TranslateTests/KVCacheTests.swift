import Foundation
import Interpreter
import ONNXGraph
import Testing

@testable import Translate

/// The self-attention KV cache lives in padded tensors that the decoder's Concat appends to in
/// place: its storage changes only when the capacity doubles, never once per step.
@Suite struct KVCacheTests {
    @Test(arguments: [Marian.Layout.merged, .pair])
    func selfAttentionCacheIsAppendedInPlace(_ layout: Marian.Layout) throws {
        let translator = try Marian.translator(layout, batchSize: 1)
        let sources = try Marian.idLines("reference/source_ids.txt")
        let expected = try Marian.idLines("reference/fp32_b1.ids")
        let longest = try #require(expected.indices.max { expected[$0].count < expected[$1].count })
        var search = translator.makeSearch()
        var previous: Tensor?, previousCross: Tensor?
        var storageChanges = 0, steps = 0, capacities: [Int] = [], crossChanges = 0
        search.observeStep = { step, cache in
            guard let key = cache["past_key_values.0.decoder.key"], let cross = cache["past_key_values.0.encoder.key"] else {
                Issue.record("step \(step): no cache")
                return
            }
            #expect(key.isPadded && key.shape[2] == step + 1, "step \(step)")
            #expect(!cross.isPadded, "step \(step)")
            if let previous, previous.storage !== key.storage { storageChanges += 1 }
            if let previousCross, previousCross.storage !== cross.storage { crossChanges += 1 }
            if capacities.last != key.rowCapacity { capacities.append(key.rowCapacity) }
            previous = key
            previousCross = cross
            steps += 1
        }
        let out = try search.run([sources[longest]])
        #expect(out == [expected[longest]])
        // 63 tokens (the position table's limit): 32 rows at first, doubled once to 64.
        #expect(steps == expected[longest].count + (expected[longest].count < translator.maxNewTokens ? 1 : 0))
        #expect(steps > GreedySearch.initialCacheRows)
        #expect(capacities == [GreedySearch.initialCacheRows, 2 * GreedySearch.initialCacheRows])
        #expect(storageChanges == 1)
        #expect(crossChanges == 0)
    }

    @Test func droppingFinishedRowsKeepsThePadding() throws {
        let dense = try Tensor(.float, shape: [3, 2, 2, 2], values: (0..<24).map(Float.init))
        let cache = try dense.padded(rowCapacity: 5)
        let kept = try BatchTensors.rows(cache, [0, 2])
        #expect(kept.isPadded && kept.rowCapacity == 5 && kept.shape == [2, 2, 2, 2])
        #expect(kept.toArray(Float.self) == Array((0..<8).map(Float.init) + (16..<24).map(Float.init)))
        #expect(kept.appendingRows(3) != nil)
        let plain = try BatchTensors.rows(dense, [1])
        #expect(!plain.isPadded && plain.toArray(Float.self) == (8..<16).map(Float.init))
    }
}
