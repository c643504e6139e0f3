/// File names for output tensors inside `--output-dir`.
///
/// Every character outside `A-Z a-z 0-9 _ - .` (including `/`, `\`, `:` and non-ASCII) becomes `_`;
/// a name that would be empty or start with `.` (hidden files, `.`/`..`) gets a leading `_`; names
/// are cut to 200 bytes; and when two outputs map to the same name the later ones get `_2`, `_3`,
/// ... So every output lands directly inside the directory and no two overwrite each other.
package enum OutputNames {
    package static func fileNames(for names: [String]) -> [String] {
        var used = Set<String>()
        var result: [String] = []
        for name in names {
            let base = sanitize(name)
            var candidate = base
            var n = 2
            while used.contains(candidate.lowercased()) {
                candidate = "\(base)_\(n)"
                n += 1
            }
            used.insert(candidate.lowercased())
            result.append(candidate + ".npy")
        }
        return result
    }

    package static func sanitize(_ name: String) -> String {
        var s = String(name.unicodeScalars.map { c -> Character in
            let ok = (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9")
                || c == "_" || c == "-" || c == "."
            return ok ? Character(c) : "_"
        })
        if s.isEmpty || s.hasPrefix(".") { s = "_" + s }
        if s.utf8.count > 200 { s = String(s.prefix(200)) }
        return s
    }
}
