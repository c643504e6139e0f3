/// Why a `.npy` file could not be read or written. `description` is one line.
package enum NpyError: Error, Equatable, CustomStringConvertible {
    case notNpy(String)
    case unsupportedVersion(major: UInt8, minor: UInt8)
    case truncatedHeader(need: Int, have: Int)
    case headerTooLarge(Int)
    case badHeader(String)
    case unsupportedDType(String)
    case objectDType(String)
    case stringDType(String)
    case bigEndian(String)
    case fortranOrder
    case badShape(String)
    case sizeOverflow([Int])
    case dataSizeMismatch(expected: Int, actual: Int, shape: [Int], dtype: String)
    case io(String)

    package var description: String {
        switch self {
        case .notNpy(let why): "not a .npy file: \(why)"
        case .unsupportedVersion(let major, let minor):
            "unsupported .npy format version \(major).\(minor) (1.0, 2.0 and 3.0 are supported)"
        case .truncatedHeader(let need, let have):
            "truncated .npy header: needs \(need) bytes, the file has \(have)"
        case .headerTooLarge(let n): ".npy header of \(n) bytes is larger than the 65536-byte limit"
        case .badHeader(let why): "malformed .npy header: \(why)"
        case .unsupportedDType(let d):
            "unsupported .npy dtype '\(d)' (supported: <f2 <f4 <f8 |i1 <i2 <i4 <i8 |u1 <u2 <u4 <u8 |b1)"
        case .objectDType(let d): ".npy object arrays (dtype '\(d)') are not supported"
        case .stringDType(let d): ".npy string/unicode arrays (dtype '\(d)') are not supported"
        case .bigEndian(let d): "big-endian .npy data (dtype '\(d)') is not supported; save it as little-endian"
        case .fortranOrder:
            "Fortran-order .npy arrays are not supported; save with np.ascontiguousarray(a) (C order)"
        case .badShape(let why): "malformed .npy shape: \(why)"
        case .sizeOverflow(let shape): ".npy shape \(shape) is too large (byte count overflows)"
        case .dataSizeMismatch(let expected, let actual, let shape, let dtype):
            ".npy data is \(actual) bytes but shape \(shape) of \(dtype) needs \(expected)"
        case .io(let why): why
        }
    }
}
