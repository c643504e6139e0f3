import ONNXGraph
import Ops

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A literal list of passes run to a fixpoint over a model's graph and all its subgraphs.
///
/// One iteration runs each pass in order over every scope (the main graph first, then each
/// subgraph, depth first); the pipeline stops after the first iteration in which no pass fired,
/// or after `maximumIterations` (the report then says it did not converge). When
/// `checksInvariants` is set, the whole model graph is checked (`Graph.checkInvariants`) after
/// every pass that changed something; a violation is a `PassError` naming the pass.
public struct PassPipeline: Sendable {
    public var passes: [any Pass]
    public var maximumIterations: Int
    public var checksInvariants: Bool

    public init(_ passes: [any Pass], maximumIterations: Int = 8, checksInvariants: Bool = PassPipeline.debugBuild) {
        self.passes = passes
        self.maximumIterations = maximumIterations
        self.checksInvariants = checksInvariants
    }

    /// The passes sessions run by default, in order.
    public static let standard = PassPipeline([
        FuseQuantizedMatMulFloat(),
        FuseSkipLayerNormalization(),
        FuseMatMulScale(),
        FuseMatMulTranspose(),
        FuseQuickGelu(),
    ])

    /// No passes: the graph is planned as loaded.
    public static let none = PassPipeline([])

    /// `standard`, or `none` when the environment variable `ONNXRUN_PASSES` is `none` (to compare
    /// runs with and without rewrites from the command line).
    public static var fromEnvironment: PassPipeline {
        guard let raw = getenv("ONNXRUN_PASSES") else { return .standard }
        return String(cString: raw) == "none" ? .none : .standard
    }

    public var isEmpty: Bool { passes.isEmpty }

    public static var debugBuild: Bool {
        #if DEBUG
        return true
        #else
        return false
        #endif
    }

    /// Rewrites `model` in place (its graph object and every subgraph object are changed; see
    /// `copyingGraphs()` for a private copy) and reports what fired. `registry` is the one that will
    /// build the plan: passes only emit ops it has.
    public func run(on model: inout Model, registry: OpRegistry = .standard) throws(PassError) -> PassReport {
        var report = PassReport(passes: passes.map(\.name))
        guard !passes.isEmpty else { return report }
        var converged = false
        for iteration in 1...max(maximumIterations, 1) {
            report.iterations = iteration
            var fired = false
            for pass in passes {
                let applied = try run(pass, on: model.graph, scope: nil, model: &model, registry: registry,
                                      report: &report, depth: 0)
                guard applied > 0 else { continue }
                fired = true
                for (domain, version) in pass.introducedOpsets where model.opsetImports[domain] == nil {
                    model.opsetImports[domain] = version
                }
                if checksInvariants {
                    do { try model.graph.checkInvariants() }
                    catch { throw PassError(pass: pass.name, "the rewritten graph is invalid: \(error)") }
                }
            }
            if !fired {
                converged = true
                break
            }
        }
        report.converged = converged
        return report
    }

    /// Runs `pass` over `graph` (scope `parent` for a subgraph) and its subgraphs; returns the
    /// number of rewrites applied.
    private func run(_ pass: any Pass, on graph: Graph, scope parent: PassScope?, atNode: Int = 0,
                     model: inout Model, registry: OpRegistry, report: inout PassReport,
                     depth: Int) throws(PassError) -> Int {
        guard depth <= Graph.maximumNestingDepth else {
            throw PassError(pass: pass.name, "subgraphs nest deeper than \(Graph.maximumNestingDepth) levels")
        }
        let scope = parent?.scope(of: graph, atNode: atNode)
            ?? PassScope(graph: graph, opsets: model.opsetImports,
                         registry: registry, outerNames: [], outerConstants: [:], outerTypes: [:])
        var applied = 0
        let wanted = try pass.rewrites(in: scope)
        if !wanted.isEmpty {
            var merged = GraphPatch()
            for r in wanted {
                guard merged.removedNodes.isDisjoint(with: r.patch.removedNodes),
                      r.patch.rewiredValues.keys.allSatisfy({ merged.rewiredValues[$0] == nil })
                else { continue }
                merged.removedNodes.formUnion(r.patch.removedNodes)
                merged.insertedNodes += r.patch.insertedNodes
                merged.rewiredValues.merge(r.patch.rewiredValues) { a, _ in a }
                merged.addedInitializers += r.patch.addedInitializers
                report.record(pass.name, graph: graph.name, r.summary)
                applied += 1
            }
            do { try graph.apply(merged, outerScope: scope.outerNames) }
            catch { throw PassError(pass: pass.name, "graph '\(graph.name)': \(error)") }
        }
        // Subgraphs, in the rewritten graph (a fresh scope, since indices moved).
        let current = applied > 0 ? PassScope(graph: graph, opsets: scope.opsets, registry: registry,
                                              outerNames: scope.outerNames, outerConstants: scope.outerConstants,
                                              outerTypes: scope.outerTypes) : scope
        for (i, node) in graph.nodes.enumerated() {
            for sub in node.subgraphs {
                applied += try run(pass, on: sub, scope: current, atNode: i, model: &model, registry: registry,
                                   report: &report, depth: depth + 1)
            }
        }
        return applied
    }
}

extension PassPipeline {
    /// Runs the pipeline on a private copy of `model`'s graphs (the caller's graph objects are not
    /// touched; tensors are shared, not copied). Returns the rewritten model and the report.
    public func run(copying model: Model, registry: OpRegistry = .standard) throws(PassError) -> (Model, PassReport) {
        var copy = model
        copy.graph = model.graph.copyingGraphs()
        let report = try run(on: &copy, registry: registry)
        return (copy, report)
    }
}
