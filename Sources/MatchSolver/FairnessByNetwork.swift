import MatchModel
import Optimization

/// `coverage_then_fairness` with access/reach rules, network first at each threshold.
///
/// A cohort whose weakest pair has at least T points is a cohort of the same program with
/// `rules.min_pair_points` raised to T. So each check of the search over T is network first
/// with the score objective on that program (priced flows, repair, GLPK on the pairs that can
/// still matter): T is reachable when its cohort has the most coverage possible, and proven
/// out of reach when its bound on coverage falls short. At the highest reachable T, that same
/// solve, when proven, is the whole objective's optimum: the most points among the cohorts
/// with the most coverage whose weakest pair has T points or more.
///
/// GLPK's threshold checks on the full model are hard exactly where this is easy: a threshold
/// just below the highest is a feasibility problem with nothing to steer the search, while
/// the flow restricted to pairs of at least T points is as easy as any other.
public struct FairnessByNetwork {
    /// Network first as set up for the program: each check runs it on the program with the floor raised.
    public let networkFirst: NetworkFirst
    public var instance: MatchInstance { networkFirst.instance }
    /// The share of the time left one check may take.
    public var checkShare = 0.25
    /// A check may always take this long (when the time left allows).
    public var checkMinimumSeconds = 1.0

    public init(_ networkFirst: NetworkFirst) { self.networkFirst = networkFirst }

    /// What a check at a threshold settled.
    enum Verdict {
        /// A cohort with the most coverage and every pair at or above the threshold; `proven`
        /// when it is also the best such cohort in total points.
        /// `pointsBound`: no such cohort has more total points (when the priced flows bound them at the most coverage).
        case reachable(cohort: [(mentor: Int, mentee: Int)], proven: SolveOutcome?, pointsBound: Int?)
        /// No cohort keeping every rule has the most coverage with every pair at or above it.
        case outOfReach
        case unsettled
    }

    public struct Result {
        /// The highest threshold proven reachable, and the best cohort found at it.
        public var reached: Int
        public var cohort: [(mentor: Int, mentee: Int)]
        /// No cohort with the most coverage has a weakest pair above this (proven).
        public var highestPossible: Int
        /// The proven optimum of the whole objective, when the search settled the threshold and
        /// the check at it was proven.
        public var optimum: SolveOutcome?
        /// When the threshold is settled but not the points: no cohort with the most coverage and
        /// that weakest pair has more total points than this (the thorough check's priced flows).
        public var pointsBound: Int?
        /// Whether the threshold is settled: ``reached`` is the highest possible.
        public var thresholdSettled: Bool { reached == highestPossible }
        public var stages: [StageReport]
    }

    /// Searches the threshold between `start`'s weakest pair (reachable: `start` has the most
    /// coverage, `coverage`, and keeps every rule) and `atMost` (proven), within `seconds`.
    /// - Parameter startProven: the score objective's optimum that `start` is, when proven
    ///   (it is then the answer if no higher threshold is reachable).
    public func solve(
        coverage: Int, from start: [(mentor: Int, mentee: Int)], startProven: SolveOutcome?, atMost upper: Int, seconds: Double
    ) throws -> Result {
        let clock = Clock(limit: seconds)
        var lo = objective(start).minPoints
        var best = start
        var optimum = startProven
        var hi = max(lo, upper)
        var highestPossible = hi
        var stages: [StageReport] = []
        // The upper end first, thoroughly: the relaxation's threshold is often reachable, and then
        // one check settles the threshold and proves the cohort.
        networkFirst.progress?("fairness: the weakest pair's points, from \(lo) (reached) up to \(hi), network first at each threshold")
        var next = hi
        var first = true
        // The last reachable check, when thorough: its points bound (nil: none), and it need not run again.
        var thoroughBound: Int??
        // Thresholds a thorough check left unsettled: the same check again would settle nothing more.
        var unsettledThoroughly = Set<Int>()
        while lo < hi, !networkFirst.shouldStop(), let left = clock.remaining, left > 0 {
            let t = next
            let seconds = min(left, max(checkMinimumSeconds, left * checkShare))
            var thorough = first
            var verdict = try check(t, coverage: coverage, thorough: thorough, seconds: first ? left : seconds, stages: &stages)
            if case .unsettled = verdict, !thorough, let left = clock.remaining, left > 0 {
                thorough = true
                verdict = try check(t, coverage: coverage, thorough: true, seconds: min(left, seconds), stages: &stages)
            }
            switch verdict {
            case .reachable(let cohort, let proven, let bound):
                best = cohort
                optimum = proven
                lo = max(t, objective(cohort).minPoints)
                // A thorough check's bound, on pairs of at least t points, holds at `lo` too (fewer pairs).
                thoroughBound = thorough ? .some(bound) : nil
            case .outOfReach:
                hi = t - 1
                highestPossible = min(highestPossible, hi)
            case .unsettled:
                hi = t - 1
                if thorough { unsettledThoroughly.insert(t) }
            }
            next = (lo + hi + 1) / 2
            first = false
        }
        networkFirst.progress?("fairness: weakest pair \(lo) reachable, above \(highestPossible) proven out of reach")
        // The optimum is proven only when the threshold is settled and a thorough check at it proved its cohort.
        var settled = lo == highestPossible && optimum.map { objective($0.pairs).minPoints >= lo } == true
        var pointsBound: Int?
        if lo == highestPossible, !settled, let bound = thoroughBound {
            pointsBound = bound  // settled by a thorough check that could not prove its cohort: not run again
        } else if lo == highestPossible, !settled, !unsettledThoroughly.contains(lo), !networkFirst.shouldStop(), let left = clock.remaining,
            left > 0,
            case .reachable(let cohort, let proven, let bound) = try check(lo, coverage: coverage, thorough: true, seconds: left, stages: &stages)
        {
            if proven != nil || objective(cohort).totalPoints > objective(best).totalPoints { best = cohort }
            optimum = proven
            settled = proven != nil
            pointsBound = bound
        }
        return Result(
            reached: lo, cohort: best, highestPossible: highestPossible, optimum: settled ? optimum : nil, pointsBound: pointsBound,
            stages: stages)
    }

    /// Network first, score objective, on the program with pairs below `t` points ineligible.
    /// A check that is not `thorough` stops at the priced flows and their repaired cohorts (no
    /// GLPK): enough to say whether `t` is reachable far more often than not, and far cheaper;
    /// a thorough one goes on to GLPK on the pairs that can still matter, which proves the cohort.
    func check(_ t: Int, coverage: Int, thorough: Bool, seconds: Double, stages: inout [StageReport]) throws -> Verdict {
        var program = instance.program
        program.policy.objective = .coverageThenScore
        program.policy.rules.minPairPoints = max(program.policy.rules.minPairPoints, t)
        program.policy.solver.timeLimitSeconds = seconds
        var first = networkFirst.on(MatchInstance(program: program, decisions: instance.decisions))
        first.progress = nil  // the search says what each check settled
        first.selection.reducedModelSeconds = min(first.selection.reducedModelSeconds, seconds)
        first.selection.asStepOfASearch()
        if !thorough { first.selection.reducedModelPairLimit = 0 }
        let clock = Clock(limit: nil)
        let r = try first.solve()
        let verdict: Verdict
        let cohort = r.outcome.flatMap { $0.status == .optimal || $0.status == .timeLimit ? $0.pairs : nil } ?? r.cohort
        if let o = r.outcome, o.status == .infeasible {
            verdict = .outOfReach
        } else if let cohort, objective(cohort).coverage >= coverage {
            // The priced flows' bound is on W·coverage + points: on the points at the most coverage when its coverage is that.
            let bound = r.networkOutcome?.sideRules?.bound.flatMap { $0.coverage == coverage ? $0.points : nil }
            verdict = .reachable(cohort: cohort, proven: r.outcome?.status == .optimal ? r.outcome : nil, pointsBound: bound)
        } else if let o = r.outcome, o.status == .optimal {
            verdict = .outOfReach  // the most coverage at this threshold, proven, is less
        } else if let n = r.networkOutcome,
            n.status == .optimal && n.objective.coverage < coverage || (n.sideRules?.bound.map { $0.coverage < coverage } ?? false)
        {
            verdict = .outOfReach  // a relaxation's coverage falls short
        } else {
            verdict = .unsettled
        }
        let said: String
        switch verdict {
        case .reachable(_, let proven, _): said = proven != nil ? "reachable (its best cohort proven)" : "reachable"
        case .outOfReach: said = "out of reach (proven)"
        case .unsettled: said = "not settled"
        }
        let how = thorough ? "network first with pairs of at least \(t) points" : "priced flows on pairs of at least \(t) points"
        networkFirst.progress?("fairness ≥ \(t), \(how): \(said)")
        stages.append(
            StageReport(
                name: "fairness ≥ \(t): \(how): \(said)",
                termination: {
                    switch verdict {
                    case .reachable: .optimal
                    case .outOfReach: .infeasible
                    case .unsettled: .timeLimit
                    }
                }(), objective: nil, bound: nil, seconds: clock.elapsed, variables: 0, constraints: 0))
        return verdict
    }

    private func objective(_ pairs: [(mentor: Int, mentee: Int)]) -> CohortCheck.Objective {
        CohortCheck.objective(instance, pairs: pairs.map { ($0.mentor, $0.mentee) })
    }
}
