import MatchModel

/// A proposed pair with its points and factor breakdown.
public struct ProposedPair: Sendable, Equatable {
    public var mentorID: String
    public var menteeID: String
    public var points: Int
    public var factors: Factors
    /// Fixed in before the solve (a decision, `--lock`, or kept by a rematch).
    public var locked: Bool
    /// The review decision that fixed it, if one did.
    public var decision: PairDecision? = nil
    /// The pair's tier (SPEC 9.4), in a program with tiers.
    public var tier: String? = nil
}

/// A mentee left without a mentor, and why, in words a program owner understands.
public struct UnmatchedMentee: Sendable, Equatable {
    public var menteeID: String
    public var reasons: [String]
}

/// A cohort proposal: the answer of `propose` (SPEC 5.1).
public struct Proposal: Sendable {
    public var programName: String
    public var cohort: String
    public var status: ProposalStatus
    public var objective: CohortCheck.Objective
    /// The stages the objective maximises, in order (the JSON reports each one's value).
    public var objectiveStages: [ObjectiveStage] = Objective.coverageThenScore.stages
    public var pairs: [ProposedPair]
    public var unmatched: [UnmatchedMentee]
    public var metrics: CohortMetrics
    /// When infeasible: the rules that conflict.
    public var conflicts: [String]
    /// What is proven when the status is not optimal.
    public var proof: Proof?
    /// The proof in words.
    public var proofNote: String? { proof?.sentence(for: objective) }
    public var stages: [StageReport]
    public var engine: String
    public var solveSeconds: Double
    public var totalSeconds: Double
    /// One scoring pass over every eligible pair, when the engine measured it.
    public var scanSeconds: Double? = nil
}
