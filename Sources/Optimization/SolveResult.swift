/// Why an engine stopped, kept apart from what solution it has.
public enum Termination: Sendable, Equatable {
    /// The solution is proven optimal.
    case optimal
    /// Proven: no assignment satisfies every constraint.
    case infeasible
    /// The objective can grow without limit (a formulation bug for us).
    case unbounded
    /// Stopped at the time limit.
    case timeLimit
    /// Stopped because the relative gap was within the requested tolerance.
    case gapLimit
    /// Stopped on request (Ctrl-C).
    case interrupted
}

/// What an engine returns: why it stopped, the best solution it has (if any),
/// and the best bound it proved.
public struct SolveResult: Sendable {
    public var termination: Termination
    /// Variable values, indexed like ``IntegerProgram/variables``; `nil` when none was found.
    public var values: [Double]?
    /// The objective value of ``values``.
    public var objectiveValue: Double?
    /// The best proven bound on the optimum (an upper bound when maximising).
    public var bestBound: Double?
    public var seconds: Double
    /// Engine-specific detail for logs.
    public var detail: String

    public init(
        termination: Termination, values: [Double]?, objectiveValue: Double?,
        bestBound: Double?, seconds: Double, detail: String = ""
    ) {
        self.termination = termination
        self.values = values
        self.objectiveValue = objectiveValue
        self.bestBound = bestBound
        self.seconds = seconds
        self.detail = detail
    }

    /// Relative gap between the solution and the bound, when both are known.
    public var relativeGap: Double? {
        guard let v = objectiveValue, let b = bestBound else { return nil }
        return abs(b - v) / max(abs(v), 1e-9)
    }
}

/// Errors an engine reports instead of crashing.
public struct EngineError: Error, CustomStringConvertible, Sendable {
    public let engine: String
    public let message: String
    public init(engine: String, message: String) {
        self.engine = engine
        self.message = message
    }
    public var description: String { "\(engine) failed: \(message)" }
}
