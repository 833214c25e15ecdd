import FlowEngine
import Foundation
import MatchModel
import Optimization

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
    /// Improve the best rule-keeping cohort's points after pricing (``EngineSelection/improvePoints``).
    public var improvePoints = true
    /// Solve without the rules the network cannot express (group and department access, location reach)
    /// and report which of them the answer breaks (``SolveOutcome/sideRules``). The optimum
    /// of this relaxation is the program's optimum whenever it breaks none.
    public var relaxSideConstraints = false
    /// The engine for the small integer programs of the side-rule steps (the count master of
    /// ``CoverageByCounts``); without one those steps are skipped.
    public var integerEngine: (any IntegerProgramEngine)?
    public var progress: ((String) -> Void)?
    /// Polled between phases and rounds (Ctrl-C).
    public var shouldStop: () -> Bool = { false }
    /// Every eligible pair, when they fit the cache budget (filled by ``solve()``).
    var eligible: EligibleCache?
    /// With a `mentors_used` stage: each mentor slot's gain for its first place (0 when a lock already uses it).
    var mentorFirstGain: [Int64]?
    /// More mentor scan positions than this: no cache (its positions are two bytes); tests lower it.
    var cachePositionLimit = EligibleCache.positionLimit
    /// The most points of any eligible pair (filled by ``solve()``).
    public internal(set) var highestPoints: Int?

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

    /// What every flow of one solve shares: what the locks left, each mentee's candidates, the clock.
    struct FlowSetting {
        let start: LockedStart
        let candidates: [[(mentor: Int32, points: Int32)]]
        let maxPoints: Int
        let clock: Clock
    }

    /// One flow on the setting (``solveFlow(_:minPoints:warm:firstGain:pairGain:)``), recorded as a stage.
    func flow(
        _ name: String, _ setting: FlowSetting, minPoints: Int?, firstGain: (Int) -> Int64, pairGain: PairGain, warm: Flow? = nil,
        stages: inout [StageReport]
    ) throws -> Flow {
        let r = try solveFlow(setting, minPoints: minPoints, warm: warm, firstGain: firstGain, pairGain: pairGain)
        stages.append(
            StageReport(
                name: name, termination: r.complete ? .optimal : .timeLimit, objective: nil, bound: nil,
                seconds: r.seconds, variables: r.arcs, constraints: r.nodes))
        return r
    }

    public mutating func solve() throws -> SolveOutcome {
        let clock = Clock(limit: instance.policy.solver.timeLimitSeconds)
        let start: LockedStart
        switch fixLocks() {
        case .success(let s): start = s
        case .failure(let conflicts):
            return SolveOutcome(
                status: .infeasible, pairs: [], eligiblePairs: 0, objective: CohortCheck.objective(instance, pairs: []),
                stages: [], conflicts: conflicts.sentences, proof: nil, finalModel: nil, seconds: clock.elapsed)
        }
        let locks = start.locks
        let scan = scanEligible(capacity: start.capacity, places: start.places, lockedKeys: start.lockedKeys, layer: start.layer)
        let setting = FlowSetting(start: start, candidates: scan.top, maxPoints: scan.maxPoints, clock: clock)
        highestPoints = scan.maxPoints

        // W exceeds any difference in total points between two cohorts.
        let maxPairs = min(start.places.reduce(0) { $0 + max($1, 0) }, start.capacity.reduce(0) { $0 + max($1, 0) })
        let w = Int64(scan.maxPoints) * Int64(maxPairs) + 1
        let weights = instance.mentees.map { Int64(instance.people[$0].priority.coverageWeight) }
        let stageGains = try Self.stageGains(
            instance.policy.objective, w: w, coverageMax: weights.reduce(0, +), mentorMax: Int64(start.capacity.count))
        if stageGains.mentor > 0 {
            let used = Set(locks.map(\.mentor))
            mentorFirstGain = (0..<start.capacity.count).map { used.contains($0) ? 0 : stageGains.mentor }
        }
        let firstGain: (Int) -> Int64 = { stageGains.coverage * weights[$0] }

        var stages: [StageReport] = []
        var result = try flow(
            "network: coverage and points", setting, minPoints: nil, firstGain: firstGain, pairGain: PairGain(pointsScale: 1),
            stages: &stages)
        var complete = result.complete
        var all = result.pairs + locks
        var objective = CohortCheck.objective(instance, pairs: all.map { ($0.mentor, $0.mentee) })
        progress?("coverage \(objective.coverage), total points \(objective.totalPoints)")

        if instance.policy.objective == .coverageThenFairness && complete && !all.isEmpty {
            let fair = try searchFairness(
                from: all, setting, pointsSeen: scan.pointsSeen, weights: weights, firstGain: firstGain, stages: &stages)
            complete = fair.complete
            if let final = fair.final { result = final }
            all = fair.pairs
            objective = CohortCheck.objective(instance, pairs: all.map { ($0.mentor, $0.mentee) })
        }

        let broken = CohortCheck.violations(
            instance, pairs: all.map { ($0.mentor, $0.mentee) }, disabled: relaxSideConstraints ? Self.sideRuleFamilies(instance.policy) : [])
        if !broken.isEmpty {
            throw SolverFailure(message: "the network solution failed its check: " + broken.prefix(3).joined(separator: "; "))
        }
        var outcome = SolveOutcome(
            status: complete ? .optimal : .timeLimit, pairs: all.sorted { ($0.mentee, $0.mentor) < ($1.mentee, $1.mentor) },
            eligiblePairs: scan.count, objective: objective, stages: stages, conflicts: [],
            proof: complete ? nil : stoppedProof(setting, weights: weights, objective: objective),
            finalModel: nil, seconds: clock.elapsed)
        outcome.scanSeconds = scan.seconds
        if relaxSideConstraints {
            try reportSideRules(
                &outcome, cohort: all, relaxedFlow: result, complete: complete, setting: setting, w: w, weights: weights, stages: &stages)
        }
        return outcome
    }

    /// The access and reach rules, which network first takes out of the network.
    static func sideRuleFamilies(_ policy: Policy) -> Set<RuleFamily> {
        var families = Set<RuleFamily>(policy.equity.groupAccess.map { .groupAccess(attribute: $0.attribute) })
        families.formUnion([.departmentAccess, .locationReach, .levelAccess])
        return families
    }

    /// What still holds when the flow was stopped. Every mentee with a place and an eligible mentor
    /// with room is matched at most once (coverage), and each of its places earns at most its best
    /// pairs' points (each mentee's best pairs are among its candidates). The points bound holds at
    /// the best coverage only: stated when this cohort has it.
    func stoppedProof(_ setting: FlowSetting, weights: [Int64], objective: CohortCheck.Objective) -> Proof {
        let start = setting.start, top = setting.candidates
        var coverageBound = 0, pointsBound = 0
        for l in start.locks { pointsBound += instance.points(mentor: l.mentor, mentee: l.mentee) }
        for es in instance.mentees.indices {
            let counted = start.prematched[es] || (start.places[es] > 0 && !top[es].isEmpty)
            if counted { coverageBound += Int(weights[es]) }
            guard start.places[es] > 0, !top[es].isEmpty else { continue }
            pointsBound += top[es].map { Int($0.points) }.sorted(by: >).prefix(start.places[es]).reduce(0, +)
        }
        return Proof(
            ending: .stopped, coverageBound: max(coverageBound, objective.coverage),
            pointsBound: objective.coverage < coverageBound ? nil : pointsBound)
    }
}
