import FlowEngine
import Foundation
import MatchModel

/// Solves programs without equity rules as a minimum-cost flow, exactly and
/// with a certificate, without ever holding every eligible pair.
///
/// Without equity rules SPEC 4 is a b-matching: source → mentee (first place
/// worth `W·coverage weight`, further places worth 0) → mentor (pair worth its
/// points) → sink (mentor capacity). With `W` larger than any possible
/// difference in total points, the profit `W·coverage + points` orders
/// solutions exactly as the lexicographic objective does, in one flow.
///
/// The flow is solved on a sparse candidate set — each mentee's best
/// ``NetworkTuning/candidatesPerMentee`` mentors, each mentor's best ``NetworkTuning/mentorCandidates``
/// mentees and ``NetworkTuning/scatteredCandidates`` more at a fixed pseudo-random rank (so
/// that mentors' places can be filled on the set) — and then every other eligible pair is
/// priced with the flow's node potentials: a pair with negative reduced cost
/// joins the set and the flow is solved again. When no pair prices out, the
/// potentials are a dual certificate for the whole program: the answer is
/// optimal over all eligible pairs, not just the candidates.
///
/// `coverage_then_fairness` adds a binary search over the minimum points
/// (coverage-only flows restricted to pairs of at least T points) before the
/// final flow restricted to the best threshold.
public struct NetworkSolver {
    public let instance: MatchInstance
    public let scanner: PairScanner
    /// Candidate sets, pricing and flow algorithm settings.
    public var tuning = NetworkTuning()
    /// Fewer coverage-gaining pairs than this are not worth solving the coverage problem again for.
    public var coverageRepriceMinimum = 64
    /// The pairs that can still matter after side-rule pricing are listed
    /// only up to this many (beyond, only counted: nothing would use them).
    public var sideRulePairLimit = 400_000
    /// Up to this many eligible pairs, every flow that breaks an access/reach rule is also
    /// repaired into a cohort that keeps them all (``RuleRepair``): the heuristic lists every pair.
    public var ruleRepairPairLimit = EngineSelection().ruleRepairPairLimit
    /// Solve without the rules the network cannot express (group and department access, location reach)
    /// and report which of them the answer breaks (``SolveOutcome/sideRules``). The optimum
    /// of this relaxation is the program's optimum whenever it breaks none.
    public var relaxSideConstraints = false
    public var progress: ((String) -> Void)?
    /// Polled between phases and rounds (Ctrl-C).
    public var shouldStop: () -> Bool = { false }
    /// Every eligible pair, when they fit the cache budget (filled by ``solve()``).
    var eligible: EligibleCache?
    /// With a `mentors_used` stage: each mentor slot's gain for its first place (0 when a lock already uses it).
    var mentorFirstGain: [Int64]?
    /// More mentor scan positions than this: no cache (its positions are two bytes); tests lower it.
    var cachePositionLimit = EligibleCache.positionLimit

    /// Eligible mentor slots of a mentee (from the cache when there is one).
    public func eligibleMentors(of es: Int) -> [Int] {
        if eligible != nil { return eligiblePairs(of: es).map(\.mentor) }
        return scanner.eligibleMentors(of: es)
    }

    /// Eligible (mentor slot, points) of a mentee, from the cache when there is one, else by a scan.
    func eligiblePairs(of es: Int) -> [(mentor: Int, points: Int)] {
        var out: [(mentor: Int, points: Int)] = []
        if let c = eligible {
            let (seg, range) = c.locate(es)
            c.segments[seg].codes[range].withUnsafeBufferPointer { codes in
                EligibleCache.decode(codes) { i, p in out.append((Int(scanner.slotAtPosition[i]), p)) }
            }
        } else {
            scanner.spare.with { scanner.forEachEligible(mentee: es, scratch: &$0) { out.append(($0, $1)) } }
        }
        return out
    }

    public init(instance: MatchInstance) {
        self.instance = instance
        scanner = PairScanner(instance)
    }

    /// Whether the network is exact for this policy (equity rules are side constraints it cannot express).
    /// `max_same_department_per_mentor` is a network rule too: a mentor with more places than the cap
    /// receives mentees through one node per department, each capped.
    public static func supports(_ policy: Policy) -> Bool {
        var rest = policy.equity
        rest.maxSameDepartmentPerMentor = nil
        guard rest.isEmpty && policy.tiers.isEmpty && !policy.rules.stable else { return false }
        // Coverage and mentors used are first places worth more, in either order; the minimum points
        // is a threshold search in the one order the fairness objective has.
        return policy.objective.name != nil || !policy.objective.stages.contains(.minPoints)
    }

    /// Whether the network is exact once the access/reach rules are taken out (network first):
    /// tiers, stability and objectives other than the two named ones are the full model's.
    public static func supportsWithSideRules(_ policy: Policy) -> Bool {
        policy.tiers.isEmpty && !policy.rules.stable && policy.objective.name != nil
    }

    /// The gain of a mentee's first place (per unit of coverage weight) and of a mentor's first place,
    /// so that one flow's profit orders cohorts exactly as the objective's stages do: each stage's unit
    /// exceeds the whole range of every later stage (points below `w`, coverage up to `coverageMax`,
    /// mentors used up to `mentorMax`). A stage the objective does not list gains nothing.
    /// - Throws: ``SolverFailure`` when the gains would not fit the flow's integer costs.
    static func stageGains(_ objective: Objective, w: Int64, coverageMax: Int64, mentorMax: Int64) throws -> (coverage: Int64, mentor: Int64) {
        // Costs are scaled by the node count and summed along paths: gains stay far below Int64's range.
        let ceiling = Int64.max >> 20
        var unit: Int64? = w, coverage: Int64 = 0, mentor: Int64 = 0
        for stage in objective.stages.reversed() {
            let range: Int64
            switch stage {
            case .totalPoints, .minPoints: continue  // points are below `w`; the minimum is the fairness search's
            case .coverage:
                range = coverageMax + 1
                coverage = unit ?? ceiling
            case .mentorsUsed:
                range = mentorMax + 1
                mentor = unit ?? ceiling
            }
            guard let u = unit, u < ceiling / 2 else {
                throw SolverFailure(
                    message: "the objective's stages need costs too large for the network engine on this roster; use --engine glpk-model")
            }
            let (next, overflow) = u.multipliedReportingOverflow(by: range)
            unit = overflow ? nil : next
        }
        return (coverage, mentor)
    }

    struct Flow {
        var pairs: [(mentor: Int, mentee: Int)]
        var rounds: Int
        var arcs: Int
        var nodes: Int
        var complete: Bool
        var seconds: Double
        /// The pair arcs in network order and the final flow (its potentials: mentee node 2 + e,
        /// mentor 2 + E + m, department layer after): a warm start for the same arcs with other gains.
        var order: [(mentee: Int32, mentor: Int32, points: Int32)] = []
        var solution: MinCostFlow.Solution?
    }

    public mutating func solve() throws -> SolveOutcome {
        let clock = Clock(limit: instance.policy.solver.timeLimitSeconds)
        let rules = instance.policy.rules
        let nMentees = instance.mentees.count
        var stages: [StageReport] = []

        // Locked pairs are fixed before the flow: they use a place on each side.
        let (locks, lockProblems) = instance.resolveLocks()
        var capacity = instance.capacity
        var places = instance.menteeLimit
        var prematched = Array(repeating: false, count: nMentees)
        var lockedKeys = Set<UInt64>()
        for l in locks {
            capacity[l.mentor] -= 1
            places[l.mentee] -= 1
            prematched[l.mentee] = true
            lockedKeys.insert(MatchInstance.pairKey(l.mentor, l.mentee))
        }
        var conflicts = lockProblems
        var families: [String] = []
        for (m, c) in capacity.enumerated() where c < 0 {
            conflicts.append(
                "mentor \(instance.people[instance.mentors[m]].id) has \(instance.capacity[m] - c) locked mentees but capacity \(instance.capacity[m])"
            )
            if !families.contains("mentor capacity") { families.append("mentor capacity") }
        }
        for (e, p) in places.enumerated() where p < 0 {
            conflicts.append(
                "mentee \(instance.people[instance.mentees[e]].id) has \(instance.menteeLimit[e] - p) locked mentors but may have \(instance.menteeLimit[e])"
            )
            if !families.contains("rules.mentors_per_mentee") { families.append("rules.mentors_per_mentee") }
        }
        let layer = DepartmentLayer(instance: instance, scanner: scanner, locks: locks)
        for (ms, dept, count) in layer.overfull {
            conflicts.append(
                "mentor \(instance.people[instance.mentors[ms]].id) has \(count) locked mentees from department \(dept) but max_same_department_per_mentor is \(layer.cap)"
            )
            if !families.contains("equity.max_same_department_per_mentor") { families.append("equity.max_same_department_per_mentor") }
        }
        if !families.isEmpty { conflicts.insert("these rules cannot all hold: locked pairs + " + families.joined(separator: " + "), at: 0) }
        if !conflicts.isEmpty {
            return SolveOutcome(
                status: .infeasible, pairs: [], eligiblePairs: 0, objective: CohortCheck.objective(instance, pairs: []),
                stages: [], conflicts: conflicts, proof: nil, finalModel: nil, seconds: clock.elapsed)
        }

        let scan = scanEligible(capacity: capacity, places: places, lockedKeys: lockedKeys, layer: layer)
        let eligibleCount = scan.count, pointsSeen = scan.pointsSeen, maxPoints = scan.maxPoints, scanSeconds = scan.seconds
        let top = scan.top

        // W exceeds any difference in total points between two cohorts.
        let maxPairs = min(places.reduce(0) { $0 + max($1, 0) }, capacity.reduce(0) { $0 + max($1, 0) })
        let w = Int64(maxPoints) * Int64(maxPairs) + 1
        let weights = instance.mentees.map { Int64(instance.people[$0].priority.coverageWeight) }
        let stageGains = try Self.stageGains(instance.policy.objective, w: w, coverageMax: weights.reduce(0, +), mentorMax: Int64(capacity.count))
        let coverageWeight: (Int) -> Int64 = { weights[$0] }
        if stageGains.mentor > 0 {
            var used = Set<Int>()
            for l in locks { used.insert(l.mentor) }
            mentorFirstGain = (0..<capacity.count).map { used.contains($0) ? 0 : stageGains.mentor }
        }

        func flow(
            _ name: String, minPoints: Int?, firstGain: (Int) -> Int64, pairGain: PairGain,
            warm: Flow? = nil
        ) throws -> Flow {
            let r = try solveFlow(
                candidates: top, capacity: capacity, places: places, prematched: prematched, layer: layer,
                lockedKeys: lockedKeys, minPoints: minPoints, warm: warm, maxPoints: maxPoints, firstGain: firstGain, pairGain: pairGain,
                clock: clock)
            stages.append(
                StageReport(
                    name: name, termination: r.complete ? .optimal : .timeLimit, objective: nil, bound: nil,
                    seconds: r.seconds, variables: r.arcs, constraints: r.nodes))
            return r
        }

        var result = try flow(
            "network: coverage and points", minPoints: nil,
            firstGain: { stageGains.coverage * weights[$0] }, pairGain: PairGain(pointsScale: 1))
        var complete = result.complete
        var all = result.pairs + locks
        var objective = CohortCheck.objective(instance, pairs: all.map { ($0.mentor, $0.mentee) })
        progress?("coverage \(objective.coverage), total points \(objective.totalPoints)")

        if instance.policy.objective == .coverageThenFairness && complete && !all.isEmpty {
            let coverage = objective.coverage
            let lockedMin = locks.map { instance.points(mentor: $0.mentor, mentee: $0.mentee) }.min() ?? maxPoints
            var lo = objective.minPoints
            var hi = min(maxPoints, lockedMin)
            var bestFair = all
            while lo < hi && complete {
                // Only point values that occur can be a minimum.
                var mid = (lo + hi + 1) / 2
                while mid <= hi && !pointsSeen.contains(mid) { mid += 1 }
                if mid > hi {
                    hi = (lo + hi + 1) / 2 - 1
                    continue
                }
                let r = try flow(
                    "network: coverage with pairs ≥ \(mid)", minPoints: mid,
                    firstGain: coverageWeight, pairGain: PairGain(pointsScale: 0))
                complete = r.complete
                let pairs = r.pairs + locks
                let o = CohortCheck.objective(instance, pairs: pairs.map { ($0.mentor, $0.mentee) })
                if o.coverage >= coverage {
                    lo = max(mid, o.minPoints)
                    bestFair = pairs
                } else {
                    hi = mid - 1
                }
            }
            progress?("minimum points \(lo)")
            if complete {
                let r = try flow(
                    "network: coverage and points with pairs ≥ \(lo)", minPoints: lo,
                    firstGain: { stageGains.coverage * weights[$0] }, pairGain: PairGain(pointsScale: 1))
                complete = r.complete
                result = r
                all = r.pairs + locks
            } else {
                all = bestFair
            }
            objective = CohortCheck.objective(instance, pairs: all.map { ($0.mentor, $0.mentee) })
        }

        var sideFamilies = Set<RuleFamily>(instance.policy.equity.groupAccess.map { .groupAccess(attribute: $0.attribute) })
        sideFamilies.formUnion([.departmentAccess, .locationReach, .levelAccess])
        let broken = CohortCheck.violations(
            instance, pairs: all.map { ($0.mentor, $0.mentee) },
            disabled: relaxSideConstraints ? sideFamilies : [])
        if !broken.isEmpty {
            throw SolverFailure(message: "the network solution failed its check: " + broken.prefix(3).joined(separator: "; "))
        }
        // Stopped: what still holds without the flow. Every mentee with a place and an eligible
        // mentor with room is matched at most once (coverage), and each of its places earns at
        // most its best pairs' points (each mentee's best pairs are among its candidates).
        var stoppedProof: Proof?
        if !complete {
            var coverageBound = 0, pointsBound = 0
            for l in locks { pointsBound += instance.points(mentor: l.mentor, mentee: l.mentee) }
            for es in 0..<nMentees {
                let counted = prematched[es] || (places[es] > 0 && !top[es].isEmpty)
                if counted { coverageBound += Int(weights[es]) }
                guard places[es] > 0, !top[es].isEmpty else { continue }
                pointsBound += top[es].map { Int($0.points) }.sorted(by: >).prefix(places[es]).reduce(0, +)
            }
            // The points bound holds at the best coverage only: stated when this cohort has it.
            stoppedProof = Proof(
                ending: .stopped, coverageBound: max(coverageBound, objective.coverage),
                pointsBound: objective.coverage < coverageBound ? nil : pointsBound)
        }
        var outcome = SolveOutcome(
            status: complete ? .optimal : .timeLimit, pairs: all.sorted { ($0.mentee, $0.mentor) < ($1.mentee, $1.mentor) },
            eligiblePairs: eligibleCount, objective: objective, stages: stages, conflicts: [],
            proof: stoppedProof,
            finalModel: nil, seconds: clock.elapsed)
        outcome.scanSeconds = scanSeconds
        if relaxSideConstraints {
            let unmet = CohortCheck.violations(instance, pairs: all.map { ($0.mentor, $0.mentee) })
            outcome.sideRules = SideRuleReport(unmet: unmet)
            if unmet.isEmpty && complete {
                outcome.stages.append(
                    StageReport(
                        name: "check: every access/reach rule holds at this optimum without them, so it is optimal",
                        termination: .optimal, objective: nil, bound: nil, seconds: 0, variables: 0, constraints: 0))
            } else if complete, instance.policy.objective == .coverageThenScore, let rows = SideRow.rows(instance) {
                // Price the broken rules into the flow (Lagrangian relaxation): every flow's
                // value bounds the program's optimum, every flow that meets the rules is a cohort.
                let repair = eligibleCount <= ruleRepairPairLimit ? ruleRepair(rows: rows, w: w) : nil
                let priced = try priceSideRules(
                    rows: rows, w: w, maxPoints: maxPoints, weights: weights, prematched: prematched, locks: locks,
                    layer: layer, relaxedFlow: result, ruleRepair: repair, clock: clock
                ) { name, firstGain, pairGain, warm in
                    try flow(name, minPoints: nil, firstGain: firstGain, pairGain: pairGain, warm: warm)
                }
                outcome.stages = stages
                if let best = priced.cohort {
                    let o = CohortCheck.objective(instance, pairs: best.map { ($0.mentor, $0.mentee) })
                    outcome.sideRules?.cohort = best.sorted { ($0.mentee, $0.mentor) < ($1.mentee, $1.mentor) }
                    if priced.proven {
                        outcome.pairs = outcome.sideRules!.cohort!
                        outcome.objective = o
                        outcome.sideRules?.unmet = []
                        outcome.stages.append(
                            StageReport(
                                name: "side rules priced into the flow: the best cohort meeting them reaches the bound",
                                termination: .optimal, objective: Double(o.totalPoints), bound: nil,
                                seconds: 0, variables: 0, constraints: 0))
                    }
                }
                outcome.sideRules?.bound = priced.bound.map { (coverage: Int($0 / w), points: Int($0 % w)) }
                if !priced.proven {
                    outcome.sideRules?.pairs = priced.pairsThatMatter?.pairs
                    outcome.sideRules?.pairCount = priced.pairsThatMatter?.count
                }
                outcome.seconds = clock.elapsed
            }
            // Whatever stopped the pricing or kept it from running (a stop, the fairness objective,
            // a share with no short decimal form): the answer so far, repaired rule by rule, is a
            // cohort that keeps every rule to report or to start from.
            if !unmet.isEmpty, outcome.sideRules?.cohort == nil, eligibleCount <= ruleRepairPairLimit, let rows = SideRow.rows(instance),
                let r = ruleRepair(rows: rows, w: w).repair(all, locked: Set(locks.map { MatchInstance.pairKey($0.mentor, $0.mentee) })),
                CohortCheck.violations(instance, pairs: r.map { ($0.mentor, $0.mentee) }).isEmpty
            {
                outcome.sideRules?.cohort = r.sorted { ($0.mentee, $0.mentor) < ($1.mentee, $1.mentor) }
            }
        }
        return outcome
    }
}
