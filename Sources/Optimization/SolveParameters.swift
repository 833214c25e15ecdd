/// What an engine may spend and how close to optimal it must get.
public struct SolveParameters: Sendable {
    /// Wall-clock limit for this solve; `nil` means none.
    public var timeLimitSeconds: Double?
    /// Relative gap at which the engine may stop; 0 asks for a proof of optimality.
    public var relativeGap: Double
    /// Whether the engine's own log goes to standard error.
    public var verbose: Bool
    /// A feasible solution to start from (indexed like the program's variables). For a relaxation
    /// solved alone, any point of the relaxation, whole or not: the simplex starts at its vertex.
    public var warmStart: [Double]?
    /// A basis to start the (first) simplex from: one an earlier relaxation ended at
    /// (``SimplexBasis/carried(from:to:)``). For the relaxation it takes precedence over
    /// ``warmStart``; an engine that finds it invalid starts from its own.
    public var startingBasis: SimplexBasis?
    /// Engine-specific switches, e.g. `"cuts"`, `"feasibility_pump"`.
    public var options: [String: Bool]

    public init(
        timeLimitSeconds: Double? = nil, relativeGap: Double = 0, verbose: Bool = false,
        warmStart: [Double]? = nil, startingBasis: SimplexBasis? = nil, options: [String: Bool] = [:]
    ) {
        self.timeLimitSeconds = timeLimitSeconds
        self.relativeGap = relativeGap
        self.verbose = verbose
        self.warmStart = warmStart
        self.startingBasis = startingBasis
        self.options = options
    }
}
