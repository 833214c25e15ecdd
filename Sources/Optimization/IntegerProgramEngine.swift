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
    func solveRelaxation(_ program: IntegerProgram, parameters: SolveParameters) throws -> RelaxationOptimum?
}

/// The LP relaxation's optimum as a simplex ends at it.
public struct RelaxationOptimum: Sendable {
    public var objective: Double
    public var values: [Double]
    /// Row duals: reduced costs are d_j = c_j − Σ_i a_ij·dual_i.
    public var duals: [Double]
    /// The optimal basis, when the engine reports one: a later relaxation of a larger program
    /// (more columns, more rows) starts there (``SolveParameters/startingBasis``).
    public var basis: SimplexBasis?

    public init(objective: Double, values: [Double], duals: [Double], basis: SimplexBasis? = nil) {
        self.objective = objective
        self.values = values
        self.duals = duals
        self.basis = basis
    }
}

/// Where each row's slack and each variable stands in a simplex basis.
public struct SimplexBasis: Sendable {
    public enum Status: UInt8, Sendable {
        case basic, atLower, atUpper, free, fixed
    }
    public var rows: [Status]
    public var columns: [Status]

    public init(rows: [Status], columns: [Status]) {
        self.rows = rows
        self.columns = columns
    }

    /// This basis carried to `larger`, a program with every row and variable of `program` (matched by
    /// name) and more: their statuses kept, each new row's slack basic and each new variable at its
    /// lower bound. The previous optimum with the new variables at their lower bounds is then
    /// the new basis's point: the simplex starts there rather than from nothing.
    public func carried(from program: IntegerProgram, to larger: IntegerProgram) -> SimplexBasis {
        var rowStatus: [String: Status] = [:], columnStatus: [String: Status] = [:]
        rowStatus.reserveCapacity(rows.count)
        columnStatus.reserveCapacity(columns.count)
        for (c, s) in zip(program.constraints, rows) { rowStatus[c.name] = s }
        for (v, s) in zip(program.variables, columns) { columnStatus[v.name] = s }
        return SimplexBasis(
            rows: larger.constraints.map { rowStatus[$0.name] ?? .basic },
            columns: larger.variables.map { columnStatus[$0.name] ?? .atLower })
    }
}

/// Branch-and-cut's root: the LP relaxation with the engine's cutting planes, solved before any
/// branching. Its optimum bounds the program at least as tightly as the plain relaxation, and
/// its reduced costs fix variables the same way (``ReducedCostFixing``).
public struct RootRelaxation: Sendable {
    /// The root LP's optimum: no solution of the program is better.
    public var bound: Double
    /// Its primal values.
    public var values: [Double]
    /// Its reduced costs, every cut's row included (`d_j = c_j − Σ_i a_ij·y_i`).
    public var reducedCosts: [Double]
    /// The best solution known when the root was solved (the warm start at least), and its value.
    public var incumbent: (values: [Double], objective: Double)?

    public init(bound: Double, values: [Double], reducedCosts: [Double], incumbent: (values: [Double], objective: Double)?) {
        self.bound = bound
        self.values = values
        self.reducedCosts = reducedCosts
        self.incumbent = incumbent
    }
}

/// How a branch-and-cut run only as far as its root ended.
public enum RootSearch: Sendable {
    /// The search ended at the root: proven (no branching needed), infeasible, or stopped.
    case ended(SolveResult)
    /// The root must branch: its relaxation.
    case branching(RootRelaxation)
}

/// An engine that can run branch-and-cut's root alone, from a known solution's vertex, and hand
/// back the root's relaxation, so that the caller can fix variables by it and search the rest.
public protocol RootSolving: Sendable {
    func solveRoot(_ program: IntegerProgram, parameters: SolveParameters) throws -> RootSearch
}
