import Interpreter
import ONNXGraph

/// Greedy decoding of one batch over the glued graphs.
///
/// Sources are padded to the longest one with `pad` and masked. Every step feeds the last token
/// of each active sentence; a sentence that emits EOS or reaches `maxNewTokens` leaves the batch,
/// and every per-sentence tensor (encoder states and mask, caches) keeps only the remaining rows,
/// so no step computes finished sentences. Output order is input order.
///
/// KV cache: the self-attention caches (not the cross-attention ones, which are fixed after the
/// first step) are kept as padded tensors (`Tensor.rowCapacity` > length): the first dense present
/// is copied once into padded storage of `min(initialCacheRows, maxNewTokens)` rows (at least one
/// spare), and from then on the decoder's `Concat(past, new)` appends the new position in place
/// and returns a view of the same storage (doubling the capacity when it is full), so a step copies
/// one position per cache, not the whole cache. Finished sentences' rows are dropped by a copy of
/// the valid rows that keeps the padding. A cache the graph returns dense although it was fed
/// padded is left dense from then on (the graph does not append in place).
struct GreedySearch {
    /// Rows per sequence allocated for a self-attention cache at first (doubled when full).
    static let initialCacheRows = 32

    let encoder: Session
    let decoder: Session
    let decoderWithPast: Session?
    let layout: Seq2SeqLayout
    let config: GenerationConfig
    let maxNewTokens: Int
    /// Called after each step with the step index and the cache the next step will be fed (tests).
    var observeStep: ((Int, [String: Tensor]) -> Void)? = nil

    /// Outputs without the decoder start token and without the final EOS.
    func run(_ sources: [[Int]]) throws(TranslateError) -> [[Int]] {
        guard !sources.isEmpty else { return [] }
        let width = sources.map(\.count).max() ?? 0
        var hidden: Tensor
        var mask: Tensor
        do {
            let ids = try BatchTensors.ids(sources, width: width, pad: config.padTokenID)
            mask = try BatchTensors.mask(sources, width: width)
            var feeds = [layout.encoder.inputIDs: ids]
            if let m = layout.encoder.attentionMask { feeds[m] = mask }
            let out: [String: Tensor]
            do { out = try encoder.run(feeds) } catch { throw TranslateError.run(error, "encoder") }
            guard let h = out[layout.encoder.hiddenStates] else {
                throw TranslateError(.layout("the encoder produced no '\(layout.encoder.hiddenStates)'"))
            }
            hidden = h
        } catch let error as TranslateError { throw error } catch { throw TranslateError(.run("\(error)")) }

        var active = Array(sources.indices)
        var generated = Array(repeating: [Int](), count: sources.count)
        var cache: [String: Tensor] = [:]
        // Self-attention caches that came back dense after being fed padded: not padded again.
        var staysDense: Set<String> = []
        let suppressed = Set(config.suppressedTokenIDs)
        var step = 0
        while !active.isEmpty && step < maxNewTokens {
            let graph: Session, role: Seq2SeqLayout.Decoder, name: String
            if step > 0, layout.mode == .pair, let past = decoderWithPast, let pastLayout = layout.decoderWithPast {
                (graph, role, name) = (past, pastLayout, "decoder with past")
            } else {
                (graph, role, name) = (decoder, layout.decoder, "decoder")
            }
            var feeds: [String: Tensor] = [:]
            do {
                if layout.mode == .noCache {
                    let prefixes = active.map { [config.decoderStartTokenID] + generated[$0] }
                    feeds[role.inputIDs] = try BatchTensors.ids(prefixes, width: step + 1, pad: config.padTokenID)
                } else {
                    let last = active.map { generated[$0].last ?? config.decoderStartTokenID }
                    feeds[role.inputIDs] = try BatchTensors.ids(last.map { [$0] }, width: 1, pad: config.padTokenID)
                }
                if let h = role.encoderHiddenStates { feeds[h] = hidden }
                if let m = role.encoderAttentionMask { feeds[m] = mask }
                if let flag = role.useCacheBranch {
                    feeds[flag] = try Tensor(.bool, shape: [1], values: [UInt8(step > 0 ? 1 : 0)])
                }
                for binding in role.cache {
                    if let t = cache[binding.past] {
                        feeds[binding.past] = t
                    } else {
                        // A merged decoder's first step: an empty past of the declared head shape.
                        let declared = graph.inputs.first { $0.name == binding.past }?.type ?? .unknown
                        guard let empty = try BatchTensors.emptyPast(declared, batch: active.count, axis: 2) else {
                            throw TranslateError(.layout("cannot build an empty '\(binding.past)' from its declared type \(declared)"))
                        }
                        feeds[binding.past] = empty
                    }
                }
            } catch let error as TranslateError { throw error } catch { throw TranslateError(.run("\(error)")) }

            let out: [String: Tensor]
            do { out = try graph.run(feeds) } catch { throw TranslateError.run(error, name) }
            guard let logits = out[role.logits] else { throw TranslateError(.layout("the \(name) produced no '\(role.logits)'")) }
            let next = try BatchTensors.argmaxLastPosition(logits, suppressed: suppressed)

            // Next step's cache: the cache inputs of whichever graph runs next, from this step's presents.
            // The cross-attention (encoder) cache is computed once, on the first step: a merged
            // decoder's cached branch outputs placeholders for it, which must not replace it.
            if layout.mode != .noCache {
                let bindings = (layout.mode == .pair ? layout.decoderWithPast?.cache : layout.decoder.cache) ?? []
                for binding in bindings where step == 0 || !binding.isCrossAttention {
                    guard var t = out[binding.present] else { continue }
                    if !binding.isCrossAttention && !t.isPadded && t.rank >= 2 && !staysDense.contains(binding.past) {
                        if let fed = feeds[binding.past], fed.isPadded { staysDense.insert(binding.past) } else {
                            let rows = t.shape[t.rank - 2]
                            let capacity = max(min(GreedySearch.initialCacheRows, maxNewTokens), rows + 1)
                            do { t = try t.padded(rowCapacity: capacity) } catch { throw TranslateError(.run("\(error)")) }
                        }
                    }
                    cache[binding.past] = t
                }
            }

            var keep: [Int] = []
            for (row, sentence) in active.enumerated() {
                if next[row] == config.eosTokenID { continue }
                generated[sentence].append(next[row])
                if generated[sentence].count < maxNewTokens { keep.append(row) }
            }
            if keep.isEmpty {
                active = []
            } else if keep.count != active.count {
                do {
                    hidden = try BatchTensors.rows(hidden, keep)
                    mask = try BatchTensors.rows(mask, keep)
                    for (k, t) in cache { cache[k] = try BatchTensors.rows(t, keep) }
                } catch { throw TranslateError(.run("\(error)")) }
                active = keep.map { active[$0] }
            }
            observeStep?(step, cache)
            step += 1
        }
        return generated
    }
}
