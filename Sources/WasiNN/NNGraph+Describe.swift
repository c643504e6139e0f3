import ONNXGraph

extension NNGraph {
    /// The binary description `describe_graph` writes (all fields little-endian `u32`, 4-aligned):
    ///
    /// ```
    /// u32 version (= 1) | u32 n_inputs | u32 n_outputs
    /// n_inputs records for the index-addressable inputs, then n_outputs records, each:
    ///     u32 name_offset (bytes from the start of the description) | u32 name_len (UTF-8 bytes, no NUL)
    ///     u32 type (tensor_type wire code; 0xFFFFFFFF: unknown, or no wasi-nn type carries it)
    ///     u32 rank (0xFFFFFFFF: unknown) | i32 dims[rank] (-1: symbolic or unknown)
    /// the names, each followed by one NUL byte (padded with zeros to a multiple of 4 at the end)
    /// ```
    public func describe(numbering: TensorTypeNumbering) -> [UInt8] {
        let entries = inputs + outputs
        var words: [UInt32] = [1, UInt32(inputs.count), UInt32(outputs.count)]
        var fixups: [(word: Int, name: [UInt8])] = []
        for e in entries {
            fixups.append((words.count, Array(e.name.utf8)))
            words.append(0)
            words.append(UInt32(truncatingIfNeeded: e.name.utf8.count))
            words.append(numbering.code(of: e.type?.dataType))
            if let dims = e.type?.dims {
                words.append(UInt32(dims.count))
                for d in dims { words.append(d.value.map { UInt32(truncatingIfNeeded: $0) } ?? UInt32.max) }
            } else {
                words.append(UInt32.max)
            }
        }
        var names: [UInt8] = []
        let base = words.count * 4
        for (word, name) in fixups {
            words[word] = UInt32(truncatingIfNeeded: base + names.count)
            names += name
            names.append(0)
        }
        while names.count % 4 != 0 { names.append(0) }
        var out: [UInt8] = []
        out.reserveCapacity(base + names.count)
        for w in words { withUnsafeBytes(of: w.littleEndian) { out += $0 } }
        return out + names
    }
}
