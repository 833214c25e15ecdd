import MatchModel

/// The engine a program owner can ask for.
public enum EngineChoice: String, Sendable, CaseIterable {
    /// The network engine when every rule fits a flow, else network first (``NetworkFirst``) with GLPK to finish.
    case auto
    /// Minimum-cost flow with pricing (no access/reach rules; department caps are in the flow).
    case network
    /// The full integer program solved by GLPK, stage by stage.
    case glpkModel = "glpk-model"
}

/// Which engine solves a program, and where each hands over to the next: every
/// threshold in one place, each with the reason for its default. `Propose` reads
/// this value, network first takes it whole, and the other engines' own settings
/// default to it.
public struct EngineSelection: Sendable {
    /// The routes a solve can take.
    public enum Route: Sendable, Equatable {
        /// The network engine alone: every rule is network structure, the answer is certified by the flow.
        case network
        /// Tiers as one flow over every eligible pair (``TieredNetwork``), certified the same way.
        case tieredNetwork
        /// The network with the access/reach rules priced in, a rule-keeping cohort by repair, GLPK on
        /// the pairs that can still matter, and the full model only when those cannot settle it.
        case networkFirst
        /// The full GLPK model, stage by stage.
        case fullModel
    }

    /// Above this many eligible pairs, a program the network could not settle is answered with the
    /// network's best rule-keeping cohort and its priced bound instead of the full GLPK model: GLPK
    /// does not improve on the priced flows at that size in any useful time, and the model's memory
    /// grows with every pair.
    public var fullModelAfterNetworkLimit = 2_000_000
    /// The fairness objective with its threshold settled by the network but the points at it not
    /// proven: the full model tries to prove them when at least this many seconds are left;
    /// otherwise the cohort found is the answer, with the checks' points bound.
    public var fullModelAfterSettledThresholdSeconds = 5.0
    /// Above this many eligible pairs, the single full model (used by the fairness objective) is
    /// refused rather than exhausting memory.
    public var modelPairLimit = 5_000_000
    /// Above this many eligible pairs, even column generation is refused: it keeps every pair in
    /// memory (12 bytes each).
    public var columnGenerationPairLimit = 150_000_000
    /// Above this many eligible pairs, GLPK's coverage and points stages run by column generation on
    /// each mentee's best candidates (with a proof over all pairs): the full LP is too large to solve whole.
    public var columnGenerationAbove = 200_000
    /// Above this many pairs that can still matter after pricing, network first tries no reduced
    /// model: reduced-cost fixing on the model's LP (``ImprovingSolve``) leaves GLPK a fraction of
    /// the pairs, but even started at the cohort GLPK's simplex needs 20–30 s for the LP of 40 k of them.
    public var reducedModelPairLimit = 60_000
    /// Beyond ``reducedModelPairLimit``, a reduced model is still tried on this many pairs per
    /// second of the time left, up to ``reducedModelPairCeiling``: with two minutes left, GLPK's
    /// LP on 80 k pairs of a 5,000-mentee program fits where it would not in twenty seconds.
    public var reducedModelPairsPerSecond = 1_000.0
    /// The most pairs a reduced model is ever tried on (beyond, the full model or the best cohort).
    public var reducedModelPairCeiling = 150_000
    /// The most pairs a reduced model is tried on with `secondsLeft` seconds left (none when
    /// ``reducedModelPairLimit`` is 0: no reduced model).
    public func reducedModelPairs(secondsLeft: Double?) -> Int {
        guard reducedModelPairLimit > 0 else { return 0 }
        let byTime = secondsLeft.map { $0 * reducedModelPairsPerSecond } ?? Double(reducedModelPairCeiling)
        return max(reducedModelPairLimit, min(reducedModelPairCeiling, Int(max(0, byTime))))
    }
    /// GLPK's time on the reduced model: this many seconds, or as long as the network took, or
    /// ``reducedModelShare`` of the time left, whichever is longest (never past the program's limit).
    public var reducedModelSeconds = 20.0
    /// The share of the time left the reduced model may take. The program's limit is the owner's
    /// budget for a proof, and GLPK closes the last few points of a large reduced model late
    /// (20,000 × 5,000 with every equity rule: proven after 33 s of it, where half the time left
    /// was 25 s), so a solve that answers with it gives it all. A step of a larger search (the
    /// fairness objective's checks) gives it half, to leave the search the rest.
    public var reducedModelShare = 1.0

    /// What a solve that is one step of a larger search gives its reduced model (the fairness
    /// objective's checks and its coverage step): half the time left, and the base pair limit
    /// whatever the time, so that the search keeps the rest.
    public mutating func asStepOfASearch() {
        reducedModelShare = 0.5
        reducedModelPairsPerSecond = 0
    }
    /// Up to this many eligible pairs, a flow that breaks an access/reach rule is repaired into a
    /// cohort that keeps them all: the repair lists every pair (about 16 bytes each), which costs
    /// memory and time beyond. Programs of 5,000 mentees have 2–3 M pairs, and priced flows alone
    /// do not always keep every rule there (without the repair, two of ten such programs had no
    /// cohort at all after 120 s).
    public var ruleRepairPairLimit = 5_000_000
    /// Whether network first improves its best rule-keeping cohort's points once the pricing is
    /// done (reassignment with its group counts held, then the count search). Neither changes the
    /// coverage: a solve that only needs the most coverage (the fairness objective's first step)
    /// skips them.
    public var improvePoints = true

    public init() {}

    /// The route for `policy` under the owner's `choice`.
    /// - Throws: ``InputError`` when the network engine is asked for a rule it cannot express.
    public func route(_ choice: EngineChoice, for program: Program) throws -> Route {
        switch choice {
        case .auto:
            if NetworkSolver.supports(program.policy) { return .network }
            if TieredNetwork.supports(program.policy) { return .tieredNetwork }
            return NetworkSolver.supportsWithSideRules(program.policy) ? .networkFirst : .fullModel
        case .glpkModel: return .fullModel
        case .network:
            if TieredNetwork.supports(program.policy) { return .tieredNetwork }
            guard NetworkSolver.supports(program.policy) else {
                throw InputError(
                    SourceLocation(file: program.files?.program ?? "program"),
                    "the network engine cannot express "
                        + (NetworkSolver.supportsWithSideRules(program.policy)
                            ? "equity rules" : "tiers, rules.stable or objective stages other than the two named objectives")
                        + "; use --engine auto or glpk-model")
            }
            return .network
        }
    }

    /// The most eligible pairs the full model takes for `policy`.
    public func fullModelPairLimit(_ policy: Policy) -> Int {
        Self.columnGenerationApplies(policy) ? columnGenerationPairLimit : modelPairLimit
    }

    /// Whether GLPK's stages may run by column generation: its pricing knows the rows of
    /// `coverage_then_score` with the access, reach and department rules, not tiers or stability.
    public static func columnGenerationApplies(_ policy: Policy) -> Bool {
        policy.objective == .coverageThenScore && policy.tiers.isEmpty && !policy.rules.stable
    }
}
