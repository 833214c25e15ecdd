import Foundation

/// A file format for handing a model to another solver.
public enum ModelFileFormat: String, Sendable, CaseIterable {
    /// Free MPS.
    case mps
    /// CPLEX LP.
    case lp

    /// The format implied by a file name's extension, if any.
    public init?(path: String) {
        switch (path as NSString).pathExtension.lowercased() {
        case "mps": self = .mps
        case "lp": self = .lp
        default: return nil
        }
    }
}

/// An engine solves an ``IntegerProgram``: model and parameters in, result out.
public protocol IntegerProgramEngine: Sendable {
    /// A short name for logs and `--engine`.
    var name: String { get }
    /// Solves the program. Throws ``EngineError`` when the engine itself fails.
    func solve(_ program: IntegerProgram, parameters: SolveParameters) throws -> SolveResult
}

/// An engine that can also write the exact model it would solve.
public protocol ModelWriting: Sendable {
    func write(_ program: IntegerProgram, to path: String, format: ModelFileFormat) throws
}

/// An engine that can also solve a program's LP relaxation and report row
/// duals, for pricing columns that are not in the model.
/// The LP relaxation stopped (time limit or a stop request) before reaching its optimum.
public struct RelaxationStopped: Error, Sendable {
    public init() {}
}

public protocol RelaxationSolving: Sendable {
    /// The relaxation's optimum, primal values and row duals, with reduced
    /// costs d_j = c_j − Σ_i a_ij·dual_i; `nil` when infeasible or unbounded.
    /// Throws ``RelaxationStopped`` when stopped before the optimum.
    func solveRelaxation(
        _ program: IntegerProgram, parameters: SolveParameters
    ) throws
        -> (objective: Double, values: [Double], duals: [Double])?
}
