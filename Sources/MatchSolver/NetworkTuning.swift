/// The network engine's settings, passed in as a value (the library never reads the
/// environment; the CLI may offer overrides). The defaults are the measured choices; the
/// figures behind them are in docs/performance.md.
public struct NetworkTuning: Sendable, Equatable {
    /// Candidates per mentee before pricing (each mentee's best mentors).
    public var candidatesPerMentee = 16
    /// Candidates per mentor before pricing (each mentor's best mentees).
    public var mentorCandidates = 24
    /// More candidates per mentor: eligible mentees picked by a fixed pseudo-random rank of the
    /// pair, not by points. Everyone's best mentees are mostly the same sought-after people, who
    /// end up matched elsewhere; without these a mentor's places stay empty on the candidate set,
    /// and each pair pricing finds there later gains a whole coverage weight.
    public var scatteredCandidates = 8
    /// Most pairs one mentee adds in one pricing round.
    public var pricingLimit = 32
    /// Most pairs one mentor gains in one pricing round, its most violated (pairs that gain a
    /// mentee coverage are always kept; 0: no cap). Unmatched mentees each find many mentors
    /// whose potential they beat; a mentor takes only its capacity of them, and every extra arc
    /// is swept by every later refinement.
    public var perMentorLimit = 16
    /// Up to this many priced-in pairs, the previous optimum is repaired in primal–dual phases
    /// instead of warm cost scaling (or up to one per ``repairArcsPerPair`` arcs of the network,
    /// if more): a warm re-solve costs a pass over every arc per refinement, a repair phase a
    /// shortest-path search that stops at the nearest deficit.
    public var repairLimit = 60
    /// Network arcs per priced-in pair up to which phases repair (see ``repairLimit``).
    public var repairArcsPerPair = 500
    /// Pricing passes inside the cost scaling (once ε is within ``pricingEpsilonPoints``
    /// points), before the certifying passes after it.
    public var pricingsInScaling = 2
    public var pricingEpsilonPoints = 4
    /// Rounds of pricing pairs that gain a whole coverage weight against the coverage optimum,
    /// before the scaling starts (0: none).
    public var coveragePricingRounds = 3
    /// Once the cost scaling's ε is within this many points, primal–dual phases finish the
    /// flow instead of the remaining refinements (`nil`: scale to the end).
    public var finishByPhasesBelowPoints: Int? = 1
    /// Cost scaling (Goldberg) for cold solves; `false`: successive shortest paths only.
    public var costScaling = true
    /// Start the scaling from the coverage optimum (ε ≈ the points) instead of from nothing (ε ≈ W).
    public var coarseStart = true
    /// A pair arc added between refinements and violated by more than this many ε waits for the
    /// finishing phases instead of raising ε.
    public var farViolation = 64
    /// Counted flows and cycle repairs the search over group counts may spend
    /// (``RuleRepair/improveByCounts(_:towards:locked:keepReach:work:stop:)``) on a small roster: a
    /// budget of work, so that the same program gets the same cohort however busy the machine is.
    public var countSearchWork = 64
    /// The same budget counted in mentees × flows: on rosters above `countSearchMenteeWork /
    /// countSearchWork` mentees, where each flow costs more, fewer flows (at least 8). The time
    /// that buys is better spent by GLPK on the pairs that still matter; a cap of a third of the
    /// time left only guards a loaded machine or a huge roster.
    public var countSearchMenteeWork = 96_000

    /// Up to this many eligible pairs, the most coverage by counts (``CoverageByCounts``) also runs
    /// when the best cohort already has the bound's coverage, for the points of the cohort at the
    /// counts nearest the bounding flow's (1,656 × 725, 400,000 pairs: the points the reduced model
    /// then proves, 18 s, where it stopped at 30 s before; each of its flows is over every pair, and
    /// at 5,000 × 1,750, 2.5 M pairs, they cost more than they gain: 30 → 87 s). Above, it runs only
    /// when the coverage is short.
    public var countsForPointsPairLimit = 1_000_000

    /// Counted flows the search over group counts may spend on a roster of `mentees`.
    public func countSearchFlows(mentees: Int) -> Int {
        max(8, min(countSearchWork, countSearchMenteeWork / max(1, mentees)))
    }
    /// One line per cost-scaling refinement on standard error (time, pushes, relabels).
    public var traceScaling = false

    public init() {}
}
