import Foundation
import MatchModel
import Optimization

/// How a proposal's solve ended (SPEC 5.1).
public enum ProposalStatus: String, Sendable, Codable {
    /// Proven optimal under the lexicographic objective.
    case optimal
    /// A cohort keeping every rule, not proven optimal (within the requested MIP gap, or with the bounds in its proof).
    case feasible
    /// No cohort satisfies every constraint.
    case infeasible
    /// The time limit (or a stop request) ended the solve.
    case timeLimit = "time_limit"
}

/// One stage of the lexicographic solve, for logs and the JSON `solver` block.
public struct StageReport: Sendable {
    public var name: String
    public var termination: Termination
    public var objective: Double?
    public var bound: Double?
    public var seconds: Double
    public var variables: Int
    public var constraints: Int

    public init(
        name: String, termination: Termination, objective: Double?, bound: Double?, seconds: Double, variables: Int, constraints: Int
    ) {
        self.name = name
        self.termination = termination
        self.objective = objective
        self.bound = bound
        self.seconds = seconds
        self.variables = variables
        self.constraints = constraints
    }
}

/// The answer of a lexicographic solve.
/// What a solve without the access/reach rules found about them: network first's hand-over.
public struct SideRuleReport: Sendable {
    /// The rules the answer breaks (empty: the answer is the program's optimum).
    public var unmet: [String]
    /// The best cohort found that meets every rule (side rules priced into the flow, or repaired), when not proven optimal.
    public var cohort: [(mentor: Int, mentee: Int)]? = nil
    /// A bound on every cohort meeting every rule: (coverage, points) of `W·coverage + points` from
    /// the priced flows, or the most coverage proven by counts with no points bound at it (`nil`).
    public var bound: (coverage: Int, points: Int?)? = nil
    /// The only pairs a cohort better than ``cohort`` could use (reduced-cost fixing on the priced flow).
    public var pairs: [(mentor: Int, mentee: Int)]? = nil
    /// How many pairs those are (also when there were too many to list them).
    public var pairCount: Int? = nil

    public init(unmet: [String]) { self.unmet = unmet }
}

public struct SolveOutcome: Sendable {
    public var status: ProposalStatus
    /// Chosen pairs as (mentor slot, mentee slot), locked pairs included.
    public var pairs: [(mentor: Int, mentee: Int)]
    /// Eligible pairs in the whole program.
    public var eligiblePairs: Int
    public var objective: CohortCheck.Objective
    public var stages: [StageReport]
    /// When infeasible: the rules that cannot all hold, worded for people.
    public var conflicts: [String]
    /// What is proven when the status is not optimal.
    public var proof: Proof?
    /// The final stage's model, for `--write-model`.
    public var finalModel: IntegerProgram?
    public var seconds: Double
    /// Time of one pass scoring every eligible pair (the floor any exact method pays), when measured.
    public var scanSeconds: Double? = nil
    /// For a solve with the access/reach rules relaxed (network first): what it found about them.
    public var sideRules: SideRuleReport? = nil

    public init(
        status: ProposalStatus, pairs: [(mentor: Int, mentee: Int)], eligiblePairs: Int, objective: CohortCheck.Objective,
        stages: [StageReport], conflicts: [String], proof: Proof?, finalModel: IntegerProgram?, seconds: Double
    ) {
        self.status = status
        self.pairs = pairs
        self.eligiblePairs = eligiblePairs
        self.objective = objective
        self.stages = stages
        self.conflicts = conflicts
        self.proof = proof
        self.finalModel = finalModel
        self.seconds = seconds
    }
}

/// Solves SPEC 4's lexicographic objective with any ``IntegerProgramEngine``:
/// maximise coverage; then (fairness) the minimum points by a monotone search
/// over point thresholds; then total points with the earlier values held.
public struct LexicographicSolver: Sendable {
    public let instance: MatchInstance
    public let candidates: CandidatePairs
    public let engine: any IntegerProgramEngine
    public var verbose = false
    /// Called with a line of progress (phase, incumbent, bound).
    public var progress: (@Sendable (String) -> Void)?
    /// Above this many eligible pairs, coverage and points stages are solved by
    /// column generation on each mentee's best candidates (with a proof over all pairs).
    public var columnGenerationAbove = EngineSelection().columnGenerationAbove
    /// Seconds this solve may take (the program's `solver.time_limit_seconds` unless set; `nil`: no limit).
    public var timeLimitSeconds: Double?
    /// A cohort meeting every rule to start from (the coverage stage's incumbent).
    public var initialCohort: [(mentor: Int, mentee: Int)]?
    /// An upper bound on the coverage of every cohort meeting every rule, proven elsewhere
    /// (network first: the optimum without the access/reach rules). When ``initialCohort``
    /// reaches it, that coverage is proven optimal and the coverage stage is not solved.
    public var coverageBound: Int?
    /// No cohort keeping every rule, at the first stages' values, has a weakest pair above this
    /// (proven elsewhere: network first's threshold checks): the minimum-points search stops there.
    public var minimumPointsBound: Int?
    /// Candidates per mentee to start column generation with.
    public var candidatesPerMentee = 24
    /// The share of the time left that one threshold check of the minimum-points search may take:
    /// a check that cannot settle in it ends the search at the threshold proven so far, and the
    /// later stages (the points) still run in the time that is left.
    public var thresholdShare = 0.25
    /// A threshold check may always take this long (when the time left allows).
    public var thresholdMinimumSeconds = 2.0
    /// The share of the time limit the search leaves to the stages after it.
    public var thresholdReserve = 0.15

    public init(instance: MatchInstance, candidates: CandidatePairs, engine: any IntegerProgramEngine) {
        self.instance = instance
        self.candidates = candidates
        self.engine = engine
        timeLimitSeconds = instance.policy.solver.timeLimitSeconds
    }

    /// What the stages have settled so far: the best cohort (pair indices) and its values, what is
    /// proven, what stopped a stage, and the values every later stage's model holds.
    private struct Incumbent {
        var best: [Int]
        var objective: CohortCheck.Objective
        var proven: Bool
        var stopped: Termination?
        var proof: Proof?
        var held = Formulation.Options()
        /// The first threshold a cut-short minimum-points search did not settle.
        var unsettled: Int?
        var finalModel: Formulation
        /// The first stage's coverage, when coverage is the first stage.
        var coverage: Int?

        var status: ProposalStatus {
            if proven { return .optimal }
            // Within the requested gap, or a threshold check cut short with every later stage solved at the threshold reached.
            if stopped == .gapLimit || (stopped == nil && unsettled != nil) { return .feasible }
            return .timeLimit
        }
    }

    public func solve() throws -> SolveOutcome {
        let clock = Clock(limit: timeLimitSeconds)
        var stages: [StageReport] = []
        func ending(_ status: ProposalStatus, conflicts: [String] = [], proof: Proof? = nil, model: Formulation? = nil) -> SolveOutcome {
            SolveOutcome(
                status: status, pairs: [], eligiblePairs: candidates.count, objective: CohortCheck.objective(instance, pairs: []),
                stages: stages, conflicts: conflicts, proof: proof, finalModel: model?.program, seconds: clock.elapsed)
        }

        // Locked pairs must name eligible pairs before anything is solved.
        let (locked, lockProblems) = resolveLocks()
        if !lockProblems.isEmpty { return ending(.infeasible, conflicts: lockProblems) }

        let objectiveStages = instance.policy.objective.stages
        let firstGoal = Self.goal(objectiveStages[0]) ?? .coverage
        let start = initialCohort.map { c in c.compactMap { candidates.index(mentor: $0.mentor, mentee: $0.mentee) } }
        let (coverageModel, first) = try solveFirstStage(firstGoal, start: start, locked: locked, clock: clock, stages: &stages)
        switch first.termination {
        case .infeasible:
            return ending(.infeasible, conflicts: try diagnose(locked: locked, clock: clock), model: coverageModel)
        case .unbounded:
            throw EngineError(engine: engine.name, message: "the first stage's model is unbounded (a formulation bug)")
        default: break
        }
        // Stopped before GLPK had a cohort of its own: the starting cohort (it keeps every rule)
        // is still the best known, not an empty answer. (Column generation's model must hold every one of its pairs.)
        func startValues() -> [Double]? {
            guard let s = start, s.count == initialCohort?.count else { return nil }
            let v = coverageModel.values(choosing: s, candidates: candidates)
            return coverageModel.chosenPairs(v).count == s.count ? v : nil
        }
        guard let values = first.values ?? startValues() else {
            let proof = Proof(ending: .stopped, cohortFound: false, coverageBound: firstGoal == .coverage ? bound(first) : nil)
            return ending(.timeLimit, proof: proof, model: coverageModel)
        }
        let best = coverageModel.chosenPairs(values)
        let proven = first.termination == .optimal
        var inc = Incumbent(
            best: best, objective: objective(best), proven: proven, stopped: proven ? nil : first.termination,
            proof: proven
                ? nil
                : Proof(
                    ending: first.termination == .gapLimit ? .withinRequestedGap : .stopped,
                    coverageBound: firstGoal == .coverage ? bound(first) : nil),
            finalModel: coverageModel)
        inc.held = baseOptions
        var remaining = objectiveStages[...]
        if objectiveStages[0] != .minPoints {
            inc.held.hold(objectiveStages[0], at: inc.objective)
            if proven && objectiveStages[0] == .coverage {
                // The most coverage, proven, bounds the matched count of every later stage's cohort.
                inc.held.matchedCountBound = min(inc.held.matchedCountBound ?? .max, inc.objective.coverage)
            }
            remaining = remaining.dropFirst()
            progress?("\(objectiveStages[0].rawValue): \(inc.objective.value(objectiveStages[0]))\(proven ? " (proven)" : "")")
        }
        inc.coverage = objectiveStages[0] == .coverage ? inc.objective.coverage : nil
        for objectiveStage in remaining where inc.stopped == nil || inc.stopped == .gapLimit {
            if objectiveStage == .minPoints {
                try settleMinimumPoints(&inc, locked: locked, clock: clock, stages: &stages)
            } else {
                try solveLaterStage(objectiveStage, &inc, seed: coverageModel.options.allowedPairs, locked: locked, clock: clock, stages: &stages)
            }
        }

        // Never report an answer that breaks a rule.
        let pairs = inc.best.map { (Int(candidates.mentor[$0]), Int(candidates.mentee[$0])) }
        let broken = CohortCheck.violations(instance, pairs: pairs)
        if !broken.isEmpty {
            throw EngineError(engine: engine.name, message: "the solution failed its check: " + broken.prefix(3).joined(separator: "; "))
        }
        return SolveOutcome(
            status: inc.status, pairs: inc.best.sorted().map { (Int(candidates.mentor[$0]), Int(candidates.mentee[$0])) },
            eligiblePairs: candidates.count, objective: inc.objective, stages: stages, conflicts: [],
            proof: inc.proof, finalModel: inc.finalModel.program, seconds: clock.elapsed)
    }

    /// What every model of this solve starts from: the matched count bounded by the coverage bound
    /// (every coverage weight is at least 1).
    private var baseOptions: Formulation.Options {
        var o = Formulation.Options()
        o.matchedCountBound = coverageBound
        return o
    }

    /// The first stage (coverage, unless the objective lists another first) — skipped when the
    /// starting cohort already reaches a proven coverage bound. An objective that starts with the
    /// minimum points starts from the coverage model's cohort, whose minimum is then reachable.
    private func solveFirstStage(
        _ firstGoal: Formulation.Goal, start: [Int]?, locked: Set<Int>, clock: Clock, stages: inout [StageReport]
    ) throws -> (Formulation, SolveResult) {
        if firstGoal == .coverage, let bound = coverageBound, let start, start.count == initialCohort?.count,
            objective(start).coverage >= bound
        {
            let coverageModel = Formulation(instance: instance, candidates: candidates, lockedPairs: locked, options: .init())
            stages.append(
                StageReport(
                    name: "coverage (\(bound): a proven bound, reached by the starting cohort)",
                    termination: .optimal, objective: Double(bound), bound: Double(bound), seconds: 0,
                    variables: 0, constraints: 0))
            let reached = SolveResult(
                termination: .optimal, values: coverageModel.values(choosing: start, candidates: candidates),
                objectiveValue: Double(bound), bestBound: Double(bound), seconds: 0)
            return (coverageModel, reached)
        }
        var options = baseOptions
        options.goal = firstGoal
        let name = Self.stageName(firstGoal)
        progress?("\(name): solving")
        return try stage(options, name, locked, clock, &stages, warm: start)
    }

    /// The minimum-points stage: the largest threshold T such that the stages so far still hold with
    /// pairs of at least T points, held by every later stage.
    private func settleMinimumPoints(_ inc: inout Incumbent, locked: Set<Int>, clock: Clock, stages: inout [StageReport]) throws {
        guard !inc.best.isEmpty else {
            inc.held.hold(.minPoints, at: inc.objective)
            return
        }
        let search = try searchMinimumPoints(
            locked: locked, held: inc.held, best: &inc.best, bestObjective: &inc.objective, stopped: &inc.stopped, clock: clock,
            stages: &stages)
        if let t = search.unsettled {
            inc.unsettled = t
            inc.proven = false
            inc.proof = Proof(ending: .stopped, coverageBound: inc.coverage, fairness: .init(reachable: search.reached, unsettled: t))
        }
        // The best cohort may have a smaller minimum than the threshold reached (it was better on an
        // earlier stage's tie-break only when equal): hold the threshold found.
        inc.held.minimumPoints = search.reached
        if search.reached > 0 { inc.held.atLeastOnePair = true }
        progress?("fairness: minimum points \(search.reached)")
    }

    /// A stage after the first with the values settled so far held: its best cohort replaces the
    /// incumbent when it keeps them and is at least as good on this stage (or proven optimal).
    private func solveLaterStage(
        _ objectiveStage: ObjectiveStage, _ inc: inout Incumbent, seed: Set<Int>?, locked: Set<Int>, clock: Clock,
        stages: inout [StageReport]
    ) throws {
        let goal = Self.goal(objectiveStage)!
        var options = inc.held
        options.goal = goal
        let name = Self.stageName(goal)
        progress?("\(name): solving")
        let (model, r) = try stage(options, name, locked, clock, &stages, warm: inc.best, seed: seed)
        inc.finalModel = model
        if let v = r.values {
            let chosen = model.chosenPairs(v)
            let o = objective(chosen)
            if meets(inc.held, o) && (o.value(objectiveStage) >= inc.objective.value(objectiveStage) || r.termination == .optimal) {
                inc.best = chosen
                inc.objective = o
            }
        }
        if r.termination != .optimal {
            inc.proven = false
            if inc.stopped != .timeLimit && inc.stopped != .interrupted { inc.stopped = r.termination }
            inc.proof = Proof(
                ending: r.termination == .gapLimit ? .withinRequestedGap : .stopped,
                coverageBound: inc.coverage, pointsBound: objectiveStage == .totalPoints ? bound(r) : nil)
        }
        if let t = inc.unsettled {
            // The stages after a cut-short search are proven at the threshold reached, not beyond it.
            var p = inc.proof ?? Proof(ending: .stopped, coverageBound: inc.coverage)
            p.fairness = .init(reachable: inc.held.minimumPoints ?? 0, unsettled: t)
            if objectiveStage == .totalPoints && r.termination == .optimal { p.pointsBound = nil }
            inc.proof = p
        }
        inc.held.hold(objectiveStage, at: inc.objective)
    }

    /// The minimum-points stage: a binary search over the distinct point values for the largest
    /// threshold T at which the stages held so far still hold with pairs of at least T points
    /// (feasibility is monotone in T). Each check gets a share of the time left; one it cannot
    /// settle is tried once more stated another way, then the search goes on below it, and it
    /// leaves a reserve of the limit to the later stages.
    /// - Returns: the threshold proven reachable, and the first one left unsettled (nil: proven the largest).
    private func searchMinimumPoints(
        locked: Set<Int>, held: Formulation.Options, best: inout [Int], bestObjective: inout CohortCheck.Objective,
        stopped: inout Termination?, clock: Clock, stages: inout [StageReport]
    ) throws -> (reached: Int, unsettled: Int?) {
        // No threshold above a locked pair's points, nor above a bound proven elsewhere.
        let highest = min(locked.map { Int(candidates.points[$0]) }.min() ?? Int.max, minimumPointsBound ?? Int.max)
        var lo = bestObjective.minPoints  // known reachable
        let values = Array(Set(candidates.points.map(Int.init))).filter { $0 <= highest && $0 > lo }.sorted()
        var lowIndex = 0, highIndex = values.count  // search values[lowIndex..<highIndex]
        // Whether the search's upper end is proven (no value above, or one proven infeasible): a
        // threshold below a proven-infeasible one settles every cut-short check above it too
        // (feasibility only falls as the threshold rises).
        var highProven = true
        var cut: Int?
        // The later stages keep a share of the time: the search ends before eating it.
        let reserve = (timeLimitSeconds ?? 0) * thresholdReserve
        while lowIndex < highIndex && (stopped == nil || stopped == .gapLimit) {
            if let left = clock.remaining, left < reserve {
                cut = values[(lowIndex + highIndex) / 2]
                highProven = false
                break
            }
            let mid = (lowIndex + highIndex) / 2
            let t = values[mid]
            var options = held
            options.minimumPoints = t
            options.atLeastOnePair = true
            var model = Formulation(instance: instance, candidates: candidates, lockedPairs: locked, options: options)
            var cap = clock.remaining.map { max(thresholdMinimumSeconds, $0 * thresholdShare) }
            var r = try run(model, "fairness ≥ \(t)", clock, &stages, options: ["feasibility_pump": true], cap: cap)
            if r.termination == .timeLimit && r.values == nil, (clock.remaining ?? 1) > 0 {
                // GLPK's search is path-dependent: the same check, stated with one redundant row, once more.
                options.restateAtLeastOnePair = true
                model = Formulation(instance: instance, candidates: candidates, lockedPairs: locked, options: options)
                cap = clock.remaining.map { max(thresholdMinimumSeconds, $0 * thresholdShare) }
                r = try run(model, "fairness ≥ \(t), restated", clock, &stages, options: ["feasibility_pump": true], cap: cap)
            }
            if let v = r.values,
                r.termination == .optimal || r.termination == .gapLimit || r.termination == .timeLimit || r.termination == .interrupted
            {
                let chosen = model.chosenPairs(v)
                let o = objective(chosen)
                if !chosen.isEmpty && o.minPoints >= t && meets(held, o) {
                    if o.isBetter(than: bestObjective, under: instance.policy.objective) {
                        best = chosen
                        bestObjective = o
                    }
                    lo = max(t, o.minPoints)
                    lowIndex = values.firstIndex { $0 > lo } ?? values.count
                    continue
                }
            }
            if r.termination == .infeasible {
                highIndex = mid
                highProven = true
            } else {
                // Neither proven feasible nor infeasible. When only this check's share of the time
                // ran out, the search goes on below it (lower thresholds are easier to settle) and
                // the later stages run at the threshold reached; else the solve stops here.
                cut = t
                highIndex = mid
                highProven = false
                if r.termination == .interrupted || (clock.remaining ?? 1) <= 0 {
                    stopped = r.termination
                    break
                }
            }
        }
        return (lo, cut.flatMap { stopped != nil || !highProven ? $0 : nil })
    }

    /// The model goal of a stage (the minimum points is a search, not a goal).
    static func goal(_ stage: ObjectiveStage) -> Formulation.Goal? {
        switch stage {
        case .coverage: .coverage
        case .mentorsUsed: .mentorsUsed
        case .totalPoints: .totalPoints
        case .minPoints: nil
        }
    }

    static func stageName(_ goal: Formulation.Goal) -> String {
        switch goal {
        case .coverage: "coverage"
        case .mentorsUsed: "mentors used"
        case .totalPoints: "total points"
        }
    }

    /// Whether a cohort's values keep the stages held so far.
    private func meets(_ held: Formulation.Options, _ o: CohortCheck.Objective) -> Bool {
        o.coverage >= (held.minimumCoverage ?? 0) && o.mentorsUsed >= (held.minimumMentorsUsed ?? 0)
    }

    private func objective(_ chosen: [Int]) -> CohortCheck.Objective {
        CohortCheck.objective(instance, pairs: chosen.map { (Int(candidates.mentor[$0]), Int(candidates.mentee[$0])) })
    }

    /// The stage's proven bound as a whole number; nil when GLPK gave none that is a number
    /// (a solve stopped at once reports ±DBL_MAX).
    private func bound(_ r: SolveResult) -> Int? {
        r.bestBound.flatMap { Self.wholeNumber(($0 + 1e-6).rounded(.down)) }
    }

    /// `x` as an integer when it is finite and exactly representable (|x| ≤ 2^53); `nil` otherwise.
    static func wholeNumber(_ x: Double) -> Int? {
        x.isFinite && abs(x) <= 0x1p53 ? Int(x) : nil
    }

    /// One stage: column generation on large programs (coverage_then_score), else the full model.
    /// - Parameter seed: pairs to start column generation with besides each mentee's best (an earlier stage's priced set).
    private func stage(
        _ options: Formulation.Options, _ name: String, _ locked: Set<Int>, _ clock: Clock,
        _ stages: inout [StageReport], warm: [Int]?, seed: Set<Int>? = nil
    ) throws -> (Formulation, SolveResult) {
        if candidates.count > columnGenerationAbove, EngineSelection.columnGenerationApplies(instance.policy),
            let relaxing = engine as? any IntegerProgramEngine & RelaxationSolving
        {
            var cg = ColumnGeneration(instance: instance, candidates: candidates, engine: relaxing, locked: locked)
            if let progress { cg.improving.progress = { line in progress("\(name): \(line)") } }
            // Each mentee's best pairs, plus an earlier stage's priced set and the best cohort
            // so far (which keeps a coverage floor reachable).
            var initial = ColumnGeneration.initialSet(
                candidates, mentees: instance.mentees.count, k: candidatesPerMentee,
                locked: locked, minimumPoints: options.minimumPoints)
            if let seed { initial.formUnion(seed) }
            if let warm { initial.formUnion(warm) }
            var p = SolveParameters(timeLimitSeconds: clock.remaining, relativeGap: instance.policy.solver.mipGap, verbose: verbose)
            if let r = p.timeLimitSeconds, r <= 0 { p.timeLimitSeconds = 0.001 }
            if let r = try cg.solve(
                options: options, initial: initial, parameters: p, remaining: { clock.remaining },
                warm: warm, progress: progress)
            {
                stages.append(
                    StageReport(
                        name: "\(name) (column generation, \(r.pricingRounds) pricing rounds)", termination: r.result.termination,
                        objective: r.result.objectiveValue, bound: r.result.bestBound, seconds: r.result.seconds,
                        variables: r.columns, constraints: r.model.program.constraints.count))
                return (r.model, r.result)
            }
            progress?("\(name): the relaxation on the candidates is infeasible; solving the full model")
        }
        let f = Formulation(instance: instance, candidates: candidates, lockedPairs: locked, options: options)
        return (f, try run(f, name, clock, &stages, warm: warm.map { f.values(choosing: $0, candidates: candidates) }))
    }

    private func run(
        _ f: Formulation, _ name: String, _ clock: Clock, _ stages: inout [StageReport],
        warm: [Double]? = nil, options: [String: Bool] = [:], cap: Double? = nil
    ) throws -> SolveResult {
        let seconds = [clock.remaining, cap].compactMap { $0 }.min()
        var p = SolveParameters(
            timeLimitSeconds: seconds, relativeGap: instance.policy.solver.mipGap, verbose: verbose,
            warmStart: warm, options: options)
        if let r = p.timeLimitSeconds, r <= 0 { p.timeLimitSeconds = 0.001 }
        let r: SolveResult
        if let warm, let relaxing = engine as? any IntegerProgramEngine & RelaxationSolving {
            // From a known cohort: neighbourhoods of it and reduced-cost fixing before GLPK's own search.
            var improving = ImprovingSolve(engine: relaxing)
            if let progress {
                improving.progress = { line in progress("\(name): \(line)") }
            }
            r = try improving.solve(f.program, from: warm, parameters: p)
        } else {
            r = try engine.solve(f.program, parameters: p)
        }
        stages.append(
            StageReport(
                name: name, termination: r.termination, objective: r.objectiveValue, bound: r.bestBound,
                seconds: r.seconds, variables: f.program.variables.count,
                constraints: f.program.constraints.count))
        return r
    }

    /// Locked pairs as pair indices, and a sentence for each lock that cannot hold.
    func resolveLocks() -> (Set<Int>, [String]) {
        let (pairs, problems) = instance.resolveLocks()
        return (Set(pairs.compactMap { candidates.index(mentor: $0.mentor, mentee: $0.mentee) }), problems)
    }

    /// Names a smallest set of rule families that cannot all hold (a deletion
    /// filter: drop each family whose removal keeps the model infeasible).
    func diagnose(locked: Set<Int>, clock: Clock) throws -> [String] {
        let families = RuleFamily.active(in: instance.policy, hasLocks: !locked.isEmpty)
        var kept = Set(families)
        for f in families {
            var options = Formulation.Options()
            options.disabled = Set(families).subtracting(kept).union([f])
            let model = Formulation(instance: instance, candidates: candidates, lockedPairs: locked, options: options)
            let r = try engine.solve(model.program, parameters: SolveParameters(timeLimitSeconds: max(clock.remaining ?? 10, 1), verbose: verbose))
            if r.termination == .infeasible { kept.remove(f) }
        }
        var lines = ["these rules cannot all hold: " + families.filter { kept.contains($0) }.map(\.description).joined(separator: " + ")]
        if kept.contains(.lockedPairs) {
            let all = instance.decisions.locked.sorted().map(\.description)
            lines.append("locked pairs: " + all.prefix(10).joined(separator: ", ") + (all.count > 10 ? ", … (\(all.count - 10) more)" : ""))
            var load: [Int: Int] = [:]
            var per: [Int: Int] = [:]
            for k in locked {
                load[Int(candidates.mentor[k]), default: 0] += 1
                per[Int(candidates.mentee[k]), default: 0] += 1
            }
            for (m, l) in load.sorted(by: { $0.key < $1.key }) where l > instance.capacity[m] {
                lines.append("mentor \(instance.people[instance.mentors[m]].id) has \(l) locked mentees but capacity \(instance.capacity[m])")
            }
            for (e, c) in per.sorted(by: { $0.key < $1.key }) where c > instance.menteeLimit[e] {
                lines.append("mentee \(instance.people[instance.mentees[e]].id) has \(c) locked mentors but may have \(instance.menteeLimit[e])")
            }
        }
        return lines
    }
}

/// Wall-clock budget shared by the stages.
struct Clock: Sendable {
    let start = DispatchTime.now()
    let limit: Double?

    var elapsed: Double { Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9 }
    var remaining: Double? { limit.map { $0 - elapsed } }
}
