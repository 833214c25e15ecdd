import MatchSolver
import Optimization

/// Programs with access/reach rules: the network with the rules priced in and a
/// rule-keeping cohort by repair (``NetworkFirst``), GLPK on the pairs that can
/// still matter — and the full model only when those cannot settle it, the
/// program is small enough for it to help, and there is time left.
struct NetworkFirstRoute: CohortSolver {
    private let context: SolveContext
    private var network: NetworkSolver?
    private var fullModel: FullModelRoute?

    init(_ context: SolveContext) { self.context = context }

    var engineName: String { fullModel == nil ? "network" : "glpk" }

    mutating func solve() throws -> SolveOutcome {
        let instance = context.instance
        context.progress?("network first, without the access/reach rules")
        var first = networkFirst(for: instance)
        first.progress = context.progress
        let r = try first.solve()
        network = r.network
        let late = context.outOfTime
        if let o = r.outcome { return o }
        // The fairness objective is settled by network first at each threshold below, at any size.
        let tooLarge = tooLargeForFullModel(r.networkOutcome?.eligiblePairs ?? 0) && instance.policy.objective != .coverageThenFairness
        if let n = r.networkOutcome, let cohort = r.cohort, tooLarge || r.reducedModelStopped || late {
            // Too large for the full model to improve on in any useful time, GLPK could not
            // settle even the pairs that can still matter (the full model holds them all and
            // more), or the time is up or the user stopped: report the best cohort meeting
            // every rule with what the priced flows prove.
            var o = n
            o.status = late ? .timeLimit : .feasible
            o.pairs = cohort
            o.objective = CohortCheck.objective(instance, pairs: cohort.map { ($0.mentor, $0.mentee) })
            o.proof = Self.sideRuleProof(o.objective, n.sideRules?.bound, ending: late ? .stopped : .answeredWithoutFullModel)
            return o
        }
        if late, var o = r.networkOutcome {
            // Stopped before any cohort keeping every rule was found: say so now rather
            // than start a model that would run on past the limit or the user's Ctrl-C.
            o.status = .timeLimit
            o.pairs = []
            o.objective = CohortCheck.objective(instance, pairs: [])
            o.proof = Proof(ending: .stopped, cohortFound: false, coverageBound: o.sideRules?.bound?.coverage)
            return o
        }
        var full = FullModelRoute(context)
        full.initialCohort = r.cohort
        full.sideRuleBound = r.networkOutcome?.sideRules?.bound
        full.coverageBound = r.coverageBound
        if let bound = full.sideRuleBound, let cohort = r.cohort,
            CohortCheck.objective(instance, pairs: cohort.map { ($0.mentor, $0.mentee) }).coverage >= bound.coverage
        {
            // The priced flows bound the coverage and the cohort reaches it: GLPK need not prove it again.
            full.coverageProven = bound.coverage
        }
        if instance.policy.objective == .coverageThenFairness, let answer = try settleFairness(r, full: &full) { return answer }
        context.progress?("solving the full model with GLPK")
        let outcome = try full.solve()
        fullModel = full
        return outcome
    }

    /// The fairness objective after network first: the most coverage by the score objective (it
    /// does not depend on what comes second), then the weakest pair by network first at each
    /// threshold. Returns the answer when that settles it (or the time is up); else leaves `full`
    /// to start from the best cohort with what is proven.
    private func settleFairness(_ r: NetworkFirst.Result, full: inout FullModelRoute) throws -> SolveOutcome? {
        guard let settled = try coverageByScore(thorough: false) ?? coverageByScore(thorough: true) else { return nil }
        full.initialCohort = settled.cohort
        full.coverageProven = settled.coverage
        let eligiblePairs = r.networkOutcome?.eligiblePairs ?? 0
        let found = try fairnessByNetwork(from: settled, relaxed: r.networkOutcome, highestPoints: r.network.highestPoints)
        if let found {
            if var o = found.optimum {
                o.stages = (settled.optimum?.stages ?? []) + found.stages + o.stages
                o.eligiblePairs = r.networkOutcome?.eligiblePairs ?? o.eligiblePairs
                o.seconds = context.elapsed
                o.finalModel = nil
                return o
            }
            let noTimeForPoints = context.secondsLeft < context.selection.fullModelAfterSettledThresholdSeconds
            if found.thresholdSettled, !noTimeForPoints {
                // The threshold settled, the points at it not proven: what is left is the score
                // objective on the pairs at or above it, a model of its own.
                return try pointsAtThreshold(found, settled: settled, eligiblePairs: eligiblePairs)
            }
            // With the threshold not settled and time left, the full model may still settle it:
            // it starts from the cohort found, with the coverage proven.
            if tooLargeForFullModel(eligiblePairs) || found.thresholdSettled && found.pointsBound != nil && noTimeForPoints {
                // The threshold is settled with too little time left to prove the points, or the
                // program is too large for the full model to settle what the checks left open:
                // the best cohort at the highest threshold reached, with what is proven.
                let late = context.outOfTime
                return answer(
                    found.cohort, status: late ? .timeLimit : .feasible, stages: (settled.optimum?.stages ?? []) + found.stages,
                    eligiblePairs: eligiblePairs
                ) { objective in
                    let ending: Proof.Ending = late ? .stopped : .answeredWithoutFullModel
                    guard found.thresholdSettled else {
                        return Proof(ending: ending, coverageBound: settled.coverage, fairness: Self.searchCutShort(found.reached, objective))
                    }
                    // Without the check's own bound, the score objective's: at the most coverage no
                    // cohort has more points, whatever its weakest pair.
                    return Proof(ending: ending, coverageBound: settled.coverage, pointsBound: found.pointsBound ?? settled.pointsBound)
                }
            }
            // What the checks settled leaves GLPK the thresholds between (or only the points).
            full.initialCohort = found.cohort
            full.minimumPointsBound = found.highestPossible
            if found.thresholdSettled, let points = found.pointsBound { full.sideRuleBound = (settled.coverage, points) }
        }
        guard context.outOfTime || context.secondsLeft < 1, let cohort = full.initialCohort else { return nil }
        // The time is (nearly) up, or the user stopped: the best cohort so far keeps every rule,
        // with what is proven — rather than a full model whose steps would run past the limit.
        return answer(cohort, status: .timeLimit, stages: r.networkOutcome?.stages ?? [], eligiblePairs: eligiblePairs) { objective in
            let fairness = found?.thresholdSettled == true ? nil : Self.searchCutShort(found?.reached ?? 0, objective)
            return Proof(ending: .stopped, coverageBound: settled.coverage, fairness: fairness)
        }
    }

    /// The fairness objective's last step once its threshold `t` is settled: among the cohorts with
    /// the most coverage whose weakest pair has at least `t` points (none has more than `t`), the most
    /// total points — the score objective on the program with `rules.min_pair_points` raised to `t`.
    /// That program has fewer pairs than the fairness objective's full model and takes column
    /// generation; GLPK starts from the cohort the checks found, with its coverage proven. Its
    /// optimum is the answer; stopped, the better cohort with the tighter points bound.
    private func pointsAtThreshold(_ found: FairnessByNetwork.Result, settled: MostCoverage, eligiblePairs: Int) throws -> SolveOutcome {
        let instance = context.instance
        var program = instance.program
        program.policy.objective = .coverageThenScore
        program.policy.rules.minPairPoints = max(program.policy.rules.minPairPoints, found.reached)
        var inner = context
        inner.instance = MatchInstance(program: program, decisions: instance.decisions)
        var points = FullModelRoute(inner)
        points.initialCohort = found.cohort
        points.coverageProven = settled.coverage
        points.sideRuleBound = found.pointsBound.map { (settled.coverage, $0) }
        let searched = (settled.optimum?.stages ?? []) + found.stages
        func value(_ cohort: [(mentor: Int, mentee: Int)]) -> CohortCheck.Objective {
            CohortCheck.objective(instance, pairs: cohort.map { ($0.mentor, $0.mentee) })
        }
        var outcome: SolveOutcome?
        if !tooLargeForFullModel(points.eligiblePairs), points.eligiblePairs <= context.selection.fullModelPairLimit(program.policy) {
            context.progress?("fairness: the most points with every pair at \(found.reached) or more (\(points.eligiblePairs) pairs)")
            outcome = try points.solve()
        }
        if var o = outcome, o.status == .optimal {
            o.objective = value(o.pairs)
            o.stages =
                searched
                + o.stages.map { s in
                    var s = s
                    s.name = "points at threshold \(found.reached): " + s.name
                    return s
                }
            o.eligiblePairs = eligiblePairs
            o.seconds = context.elapsed
            o.finalModel = nil  // the model of the program at the threshold, not the program's
            return o
        }
        // Not proven: the better of the two cohorts, with the tighter of the two points bounds.
        let cohort =
            outcome.flatMap { o in
                let v = value(o.pairs)
                return !o.pairs.isEmpty && v.totalPoints > value(found.cohort).totalPoints && v.coverage >= settled.coverage
                    && CohortCheck.violations(instance, pairs: o.pairs.map { ($0.mentor, $0.mentee) }).isEmpty ? o.pairs : nil
            } ?? found.cohort
        let bound = [found.pointsBound, settled.pointsBound, outcome?.proof?.pointsBound].compactMap { $0 }.min()
        let late = context.outOfTime
        return answer(cohort, status: late ? .timeLimit : .feasible, stages: searched + (outcome?.stages ?? []), eligiblePairs: eligiblePairs) { _ in
            // How the model's solve ended (stopped, or within the requested gap), if it ran.
            let ending = outcome?.proof?.ending ?? (late ? .stopped : .answeredWithoutFullModel)
            return Proof(ending: ending, coverageBound: settled.coverage, pointsBound: bound)
        }
    }

    /// A threshold search that did not settle: the highest threshold reached (by the checks, or by
    /// the answer's own weakest pair) is proven reachable, the next one is not settled.
    private static func searchCutShort(_ reached: Int, _ objective: CohortCheck.Objective) -> Proof.FairnessSearch {
        let reachable = max(reached, objective.minPoints)
        return Proof.FairnessSearch(reachable: reachable, unsettled: reachable + 1)
    }

    /// Whether a program has too many eligible pairs for GLPK's full model to improve in any
    /// useful time on what network first found.
    private func tooLargeForFullModel(_ eligiblePairs: Int) -> Bool { eligiblePairs > context.selection.fullModelAfterNetworkLimit }

    /// `cohort` as the answer, with the proof made for its objective.
    private func answer(
        _ cohort: [(mentor: Int, mentee: Int)], status: ProposalStatus, stages: [StageReport], eligiblePairs: Int,
        proof: (CohortCheck.Objective) -> Proof
    ) -> SolveOutcome {
        let objective = CohortCheck.objective(context.instance, pairs: cohort.map { ($0.mentor, $0.mentee) })
        return SolveOutcome(
            status: status, pairs: cohort.sorted { ($0.mentee, $0.mentor) < ($1.mentee, $1.mentor) }, eligiblePairs: eligiblePairs,
            objective: objective, stages: stages, conflicts: [], proof: proof(objective), finalModel: nil, seconds: context.elapsed)
    }

    /// Network first on `instance` with the selection's hand-over thresholds and the context's settings.
    private func networkFirst(for instance: MatchInstance) -> NetworkFirst {
        var first = NetworkFirst(instance: instance, engine: context.glpk)
        first.tuning = context.tuning
        first.selection = context.selection
        first.verbose = context.verbose
        first.shouldStop = { SolveControl.stopRequested }
        return first
    }

    /// A cohort with the most coverage any cohort keeping every rule reaches, by network first
    /// under the score objective, and that objective's optimum when proven.
    struct MostCoverage {
        var cohort: [(mentor: Int, mentee: Int)]
        var coverage: Int
        var optimum: SolveOutcome?
        /// No cohort keeping every rule at this coverage has more total points (the score
        /// objective's optimum, or its priced flows' bound), when known.
        var pointsBound: Int?
    }

    /// Network first under the score objective: a cohort whose coverage is proven the most
    /// possible (the optimum's, or a bound's it reaches), else nil. Without `thorough`, network
    /// first stops at its priced flows and repaired cohorts: the coverage alone is often proven there.
    private func coverageByScore(thorough: Bool) throws -> MostCoverage? {
        guard !context.outOfTime else { return nil }
        var program = context.instance.program
        program.policy.objective = .coverageThenScore
        program.policy.solver.timeLimitSeconds = context.secondsLeft
        let scoring = MatchInstance(program: program, decisions: context.instance.decisions)
        context.progress?("the most coverage first, with the score objective\(thorough ? "" : " (priced flows only)")")
        var first = networkFirst(for: scoring)
        first.selection.reducedModelSeconds = min(first.selection.reducedModelSeconds, max(0.001, context.secondsLeft / 2))
        first.selection.asStepOfASearch()
        if !thorough {
            first.selection.reducedModelPairLimit = 0
            first.selection.improvePoints = false
        }
        let r = try first.solve()
        if let o = r.outcome, o.status == .optimal {
            return MostCoverage(cohort: o.pairs, coverage: o.objective.coverage, optimum: o, pointsBound: o.objective.totalPoints)
        }
        guard let cohort = r.cohort, let n = r.networkOutcome else { return nil }
        let reached = CohortCheck.objective(scoring, pairs: cohort.map { ($0.mentor, $0.mentee) }).coverage
        let bounds = [n.status == .optimal ? n.objective.coverage : nil, n.sideRules?.bound?.coverage].compactMap { $0 }
        guard let bound = bounds.min(), reached >= bound else { return nil }
        let points = n.sideRules?.bound.flatMap { $0.coverage == reached ? $0.points : nil }
        return MostCoverage(cohort: cohort, coverage: reached, optimum: nil, pointsBound: points)
    }

    /// The weakest pair's threshold by network first at each threshold (``FairnessByNetwork``),
    /// from the cohort with the most coverage, in most of the time left: nil when out of time.
    private func fairnessByNetwork(
        from settled: MostCoverage, relaxed: SolveOutcome?, highestPoints: Int?
    ) throws -> FairnessByNetwork.Result? {
        let instance = context.instance
        guard !context.outOfTime, !settled.cohort.isEmpty, var upper = highestPoints else { return nil }
        if let n = relaxed, n.status == .optimal, n.objective.coverage == settled.coverage {
            // Every cohort with this coverage is one of the relaxation's at its most coverage:
            // its weakest pair is at most the relaxation's best.
            upper = min(upper, n.objective.minPoints)
        }
        if let lockedMin = instance.resolveLocks().pairs.map({ instance.points(mentor: $0.mentor, mentee: $0.mentee) }).min() {
            upper = min(upper, lockedMin)
        }
        var first = networkFirst(for: instance)
        first.progress = context.progress
        return try FairnessByNetwork(first).solve(
            coverage: settled.coverage, from: settled.cohort, startProven: settled.optimum,
            atMost: upper, seconds: context.secondsLeft * 0.7)
    }

    func eligibleMentors(of mentee: Int) -> [Int] {
        if let fullModel { return fullModel.eligibleMentors(of: mentee) }
        return network?.eligibleMentors(of: mentee) ?? []
    }

    func finalModel(for outcome: SolveOutcome, wanted: Bool) -> IntegerProgram? {
        if let fullModel { return fullModel.finalModel(for: outcome, wanted: wanted) }
        return wanted ? FinalStageModel.build(context.instance, outcome) : nil
    }

    /// What the priced flows prove about a cohort that keeps every rule: their bound is on
    /// `W·coverage + points`, so it bounds the points only at the coverage it names.
    static func sideRuleProof(_ o: CohortCheck.Objective, _ bound: (coverage: Int, points: Int?)?, ending: Proof.Ending) -> Proof {
        guard let b = bound else { return Proof(ending: ending) }
        if b.coverage > o.coverage { return Proof(ending: ending, coverageBound: b.coverage) }
        return Proof(ending: ending, coverageBound: o.coverage, pointsBound: b.points)
    }
}
