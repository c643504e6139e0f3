#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Checks on a path given on the command line, so that the common mistakes get a plain message.
enum ModelFile {
    /// Throws unless `path` names an existing regular file this process may read.
    static func validate(_ path: String) throws(CLIError) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw CLIError("cannot open '\(path)': \(String(cString: strerror(errno)))")
        }
        let kind = info.st_mode & S_IFMT
        if kind == S_IFDIR { throw CLIError("'\(path)' is a directory, not a model file") }
        guard kind == S_IFREG else { throw CLIError("'\(path)' is not a regular file") }
        guard access(path, R_OK) == 0 else {
            throw CLIError("cannot read '\(path)': \(String(cString: strerror(errno)))")
        }
    }

    /// The size of the file at `path` in bytes, nil when it cannot be stat'ed.
    static func size(_ path: String) -> Int? {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : nil
    }
}
