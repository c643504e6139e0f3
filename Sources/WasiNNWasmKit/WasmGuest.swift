import WASI
import WasiNN
import WasmKit
import WasmKitWASI

/// Runs a WebAssembly guest under WasmKit with WASI preview1 and wasi-nn linked in.
///
/// A command guest runs `_start`; with `invoke`, a reactor runs `_initialize` (when exported) and
/// then the named export, which must take no parameters. A guest calling `proc_exit(n)` ends with
/// ``Outcome/exited(_:)``. Host files are reachable only through `preopens`; graphs only through
/// the ``NNHost`` (preloaded by name, or `load` from bytes in guest memory).
public enum WasmGuest {
    public struct Options {
        /// `argv` as the guest sees it (the first is conventionally the program name).
        public var arguments: [String]
        public var environment: [String: String]
        /// Directories the guest may open: guest path → host path.
        public var preopens: [(guest: String, host: String)]
        /// Most fuel (≈ wasm operators executed) the guest may use; nil: unlimited. Exhaustion traps.
        public var fuel: UInt64?
        /// Host descriptors behind the guest's stdout and stderr (borrowed, never closed).
        public var stdout: Int32
        public var stderr: Int32

        public init(arguments: [String] = ["guest"], environment: [String: String] = [:],
                    preopens: [(guest: String, host: String)] = [], fuel: UInt64? = nil,
                    stdout: Int32 = 1, stderr: Int32 = 2) {
            self.arguments = arguments
            self.environment = environment
            self.preopens = preopens
            self.fuel = fuel
            self.stdout = stdout
            self.stderr = stderr
        }
    }

    /// How a guest ended.
    public enum Outcome: Equatable {
        /// `proc_exit(code)`, or 0 when `_start` returned.
        case exited(UInt32)
        /// The invoked export returned these values.
        case returned([Value])
    }

    /// A guest that could not be parsed, linked or started, or trapped.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    /// `values` as decimal text, one per value (integers signed, floats as Swift prints them).
    public static func format(_ values: [Value]) -> [String] {
        values.map { v in
            switch v {
            case .i32(let x): String(Int32(bitPattern: x))
            case .i64(let x): String(Int64(bitPattern: x))
            case .f32(let bits): String(Float(bitPattern: bits))
            case .f64(let bits): String(Double(bitPattern: bits))
            default: "\(v)"
            }
        }
    }

    /// Parses, links and runs `wasm`.
    public static func run(wasm: [UInt8], host: NNHost, options: Options = Options(),
                           invoke: String? = nil) throws(Failure) -> Outcome {
        let module: Module
        do { module = try parseWasm(bytes: wasm) } catch { throw Failure("not a valid WebAssembly module: \(error)") }
        let engine = Engine(configuration: EngineConfiguration(fuelMetering: options.fuel != nil))
        let store = Store(engine: engine)
        if let fuel = options.fuel { store.fuel = Fuel(remaining: fuel) }
        var imports = Imports()
        let wasi: WASIBridgeToHost
        do {
            wasi = try WASIBridgeToHost(args: options.arguments, environment: options.environment,
                                        preopens: options.preopens.map { .init(guestPath: $0.guest, hostPath: $0.host) },
                                        stdout: options.stdout, stderr: options.stderr)
        } catch {
            throw Failure("cannot set up WASI: \(error)")
        }
        // The bridge must be closed (its preopened descriptors) before it goes away.
        defer { try? wasi.close() }
        wasi.link(to: &imports, store: store)
        WasiNNBridge(host: host).link(to: &imports, store: store)
        let instance: Instance
        do { instance = try module.instantiate(store: store, imports: imports) } catch {
            throw Failure("cannot instantiate the guest: \(error)")
        }
        do {
            guard let name = invoke else {
                guard instance.exports[function: "_start"] != nil else {
                    throw Failure("the guest exports no '_start' (a reactor? pass --invoke FUNC)")
                }
                return .exited(try wasi.start(instance))
            }
            guard let function = instance.exports[function: name] else {
                throw Failure("the guest exports no function '\(name)'")
            }
            guard function.type.parameters.isEmpty else {
                throw Failure("'\(name)' takes \(function.type.parameters.count) parameters; only functions without parameters can be invoked")
            }
            try wasi.initialize(instance)
            return .returned(try function.invoke())
        } catch let exit as WASIExitCode {
            return .exited(exit.code)
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure("the guest trapped: \(error)")
        }
    }
}
