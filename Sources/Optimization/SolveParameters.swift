/// What an engine may spend and how close to optimal it must get.
public struct SolveParameters: Sendable {
    /// Wall-clock limit for this solve; `nil` means none.
    public var timeLimitSeconds: Double?
    /// Relative gap at which the engine may stop; 0 asks for a proof of optimality.
    public var relativeGap: Double
    /// Whether the engine's own log goes to standard error.
    public var verbose: Bool

    public init(timeLimitSeconds: Double? = nil, relativeGap: Double = 0, verbose: Bool = false) {
        self.timeLimitSeconds = timeLimitSeconds
        self.relativeGap = relativeGap
        self.verbose = verbose
    }
}
