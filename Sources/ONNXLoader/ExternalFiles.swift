#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The external data files of one model, mapped once each and shared by the tensors that view them.
///
/// A `location` must be a relative path inside the model's folder: absolute paths, `..`
/// components and symlinks that resolve outside the folder are rejected. Offsets and lengths are
/// checked against the file size before any byte is read.
final class ExternalFiles {
    /// Folder that locations are relative to; nil when the model came from bytes without one.
    let baseDirectory: String?
    private var files: [String: MappedFile] = [:]
    /// Byte ranges already handed out as storage views, per file: an overlapping range is copied
    /// instead, so that no two storages alias the same bytes.
    private var views: [ObjectIdentifier: [Range<Int>]] = [:]

    /// Large `raw_data` payloads cut out of the model before unpacking (nil: none were).
    let payloads: RawPayloads?

    init(baseDirectory: String?, payloads: RawPayloads? = nil) {
        self.baseDirectory = baseDirectory
        self.payloads = payloads
    }

    /// The file and byte offset of a tensor's `expected` bytes, from its `external_data` entries
    /// (`location`, optional `offset` and `length`; `checksum` is not verified).
    func locate(_ info: [String: String], expected: Int) throws(LoadError) -> (MappedFile, Int) {
        guard let location = info["location"], !location.isEmpty else {
            throw LoadError(.externalData("no 'location' entry"))
        }
        let offset = try number(info["offset"], "offset") ?? 0
        if let length = try number(info["length"], "length"), length != expected {
            throw LoadError(.tensorDataSize(expected: expected, actual: length))
        }
        guard expected > 0 || info["offset"] != nil || info["length"] != nil else {
            // An empty tensor still names a file; it must be a valid location but need not be read.
            try validate(location)
            return (try file(location), 0)
        }
        let file = try file(location)
        guard offset <= file.size, file.size - offset >= expected else {
            throw LoadError(.externalData(
                "offset \(offset) + length \(expected) is past the end of '\(location)' (\(file.size) bytes)"))
        }
        return (file, offset)
    }

    /// True (and recorded) when `range` of `file` overlaps no range viewed before.
    func claimView(_ file: MappedFile, _ range: Range<Int>) -> Bool {
        let key = ObjectIdentifier(file)
        if views[key, default: []].contains(where: { $0.overlaps(range) }) { return false }
        views[key, default: []].append(range)
        return true
    }

    private func number(_ text: String?, _ key: String) throws(LoadError) -> Int? {
        guard let text else { return nil }
        guard let v = Int(text), v >= 0 else { throw LoadError(.externalData("'\(key)' is not a non-negative integer: '\(text)'")) }
        return v
    }

    /// Rejects locations that could name a file outside the model's folder.
    func validate(_ location: String) throws(LoadError) {
        guard !location.utf8.contains(0) else { throw LoadError(.externalData("location contains a NUL byte")) }
        let first = location.first
        let drive = location.count >= 2 && location.dropFirst().first == ":"
        guard first != "/", first != "\\", !drive else {
            throw LoadError(.externalData("location '\(location)' is an absolute path"))
        }
        let parts = location.split(whereSeparator: { $0 == "/" || $0 == "\\" })
        guard !parts.contains("..") else {
            throw LoadError(.externalData("location '\(location)' leaves the model's folder ('..')"))
        }
    }

    private func file(_ location: String) throws(LoadError) -> MappedFile {
        if let f = files[location] { return f }
        try validate(location)
        guard let baseDirectory else {
            throw LoadError(.externalData("'\(location)': the model was loaded from bytes without a base directory"))
        }
        let path = baseDirectory + "/" + location
        // Symlinks may still point elsewhere: compare resolved paths.
        guard let realBase = realpath(baseDirectory, nil) else {
            throw LoadError(.externalData("'\(location)': cannot resolve the model's folder: \(MappedFile.errnoText())"))
        }
        defer { free(realBase) }
        guard let realFile = realpath(path, nil) else {
            throw LoadError(.externalData("'\(location)': \(MappedFile.errnoText())"))
        }
        defer { free(realFile) }
        let base = String(cString: realBase), resolved = String(cString: realFile)
        let prefix = base.hasSuffix("/") ? base : base + "/"
        guard resolved.hasPrefix(prefix) else {
            throw LoadError(.externalData("'\(location)' resolves outside the model's folder"))
        }
        let f: MappedFile
        do { f = try MappedFile(path: resolved) }
        catch { throw LoadError(.externalData("'\(location)': \(error.description)")) }
        files[location] = f
        return f
    }
}
