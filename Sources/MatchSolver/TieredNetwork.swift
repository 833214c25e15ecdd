import FlowEngine
import Foundation
import MatchModel

/// Programs with tiers (SPEC 9.4) as one minimum-cost flow over every eligible pair:
/// source → mentee (the first place worth its coverage gain, one place per tier) →
/// the mentee's tier node (one mentor per tier) → mentor (the pair's points) → sink
/// (capacity; with a `mentors_used` stage the first place worth its gain). The same
/// stage gains as ``NetworkSolver`` order cohorts exactly as the objective does, so
/// one flow settles every stage, and the final potentials certify it (every
/// residual arc has a non-negative reduced cost).
///
/// Every pair is an arc (no pricing): memory grows with the eligible pairs.
public struct TieredNetwork {
    public let instance: MatchInstance
    public var progress: ((String) -> Void)?
    /// Polled between the flow's phases (Ctrl-C, the time limit).
    public var shouldStop: () -> Bool = { false }

    public init(instance: MatchInstance) { self.instance = instance }

    /// Whether this engine is exact for the policy: tiers, no access/reach rules, department caps
    /// or stability, and no minimum-points stage (a search the flow does not make).
    public static func supports(_ policy: Policy) -> Bool {
        !policy.tiers.isEmpty && policy.equity.isEmpty && !policy.rules.stable && !policy.objective.stages.contains(.minPoints)
    }

    /// What the locks leave: each mentor's places, each mentee's tier slots taken, who is matched already.
    private struct LockedStart {
        var locks: [(mentor: Int, mentee: Int)]
        var capacity: [Int]
        /// Per mentee × tier (mentee-major): whether a lock fills it.
        var slotTaken: [Bool]
        var prematched: [Bool]
    }

    /// The nodes: source, sink, mentees, tier nodes (mentee-major), mentors.
    private struct Layout {
        let mentees: Int, tiers: Int
        let source = 0, sink = 1
        func mentee(_ es: Int) -> Int { 2 + es }
        func tier(_ es: Int, _ t: Int) -> Int { 2 + mentees + es * tiers + t }
        func mentor(_ ms: Int) -> Int { 2 + mentees + mentees * tiers + ms }
    }

    public func solve() throws -> SolveOutcome {
        let clock = Clock(limit: instance.policy.solver.timeLimitSeconds)
        let candidates = CandidatePairs(instance)
        let start: LockedStart
        switch fixLocks() {
        case .success(let s): start = s
        case .failure(let conflicts):
            return SolveOutcome(
                status: .infeasible, pairs: [], eligiblePairs: candidates.count, objective: CohortCheck.objective(instance, pairs: []),
                stages: [], conflicts: conflicts.sentences, proof: nil, finalModel: nil, seconds: clock.elapsed)
        }
        let nE = instance.mentees.count, nT = instance.tiers.count
        let maxPoints = Int64(candidates.points.max() ?? 0)
        let maxPairs = min(nE * nT, start.capacity.reduce(0) { $0 + max($1, 0) })
        let w = maxPoints * Int64(maxPairs) + 1
        let weights = instance.mentees.map { Int64(instance.people[$0].priority.coverageWeight) }
        let gains = try NetworkSolver.stageGains(
            instance.policy.objective, w: w, coverageMax: weights.reduce(0, +), mentorMax: Int64(instance.mentors.count))
        let built = network(start, candidates: candidates, gains: gains, weights: weights)
        var net = built.0
        let pairArc = built.1
        progress?("tiers: one flow on \(net.arcCount) arcs (\(candidates.count) eligible pairs)")
        let stop = shouldStop
        let (solution, complete) = net.solveByCostScaling(source: 0, sink: 1, stop: { stop() || (clock.remaining ?? 1) <= 0 })
        if complete && !net.certifies(solution, source: 0, sink: 1) {
            throw SolverFailure(message: "the tiered flow ended without a certificate of optimality")
        }
        // A flow stopped early may not respect every arc's bound yet: keep its pairs while each mentor has
        // room and each tier slot is free (a subset of a cohort without side rules keeps every rule).
        var pairs = start.locks
        var room = start.capacity, slotFree = start.slotTaken.map { !$0 }
        for (arc, k) in pairArc where solution.flow[arc] > 0 {
            let ms = Int(candidates.mentor[k]), es = Int(candidates.mentee[k])
            let slot = es * nT + instance.tier(mentor: ms, mentee: es)!
            guard room[ms] > 0, slotFree[slot] else { continue }
            room[ms] -= 1
            slotFree[slot] = false
            pairs.append((ms, es))
        }
        let broken = CohortCheck.violations(instance, pairs: pairs.map { ($0.mentor, $0.mentee) })
        if !broken.isEmpty {
            throw SolverFailure(message: "the tiered flow failed its check: " + broken.prefix(3).joined(separator: "; "))
        }
        let stage = StageReport(
            name: "network: tiers, every stage in one flow", termination: complete ? .optimal : .timeLimit, objective: nil, bound: nil,
            seconds: clock.elapsed, variables: net.arcCount, constraints: net.nodeCount)
        return SolveOutcome(
            status: complete ? .optimal : .timeLimit, pairs: pairs.sorted { ($0.mentee, $0.mentor) < ($1.mentee, $1.mentor) },
            eligiblePairs: candidates.count, objective: CohortCheck.objective(instance, pairs: pairs.map { ($0.mentor, $0.mentee) }),
            stages: [stage], conflicts: [], proof: complete ? nil : stoppedProof(candidates, prematched: start.prematched, weights: weights),
            finalModel: nil, seconds: clock.elapsed)
    }

    /// Locks use a place on each side and their tier's slot; or the rules they break on their own.
    private func fixLocks() -> Result<LockedStart, NetworkSolver.LockConflicts> {
        let nE = instance.mentees.count, nT = instance.tiers.count
        let people = instance.people
        let (locks, lockProblems) = instance.resolveLocks()
        var start = LockedStart(
            locks: locks, capacity: instance.capacity, slotTaken: [Bool](repeating: false, count: nE * nT),
            prematched: [Bool](repeating: false, count: nE))
        var conflicts = NetworkSolver.LockConflicts(lines: lockProblems)
        let family = "tiers or mentor capacity"
        for l in locks {
            start.capacity[l.mentor] -= 1
            start.prematched[l.mentee] = true
            let t = instance.tier(mentor: l.mentor, mentee: l.mentee)!
            if start.slotTaken[l.mentee * nT + t] {
                conflicts.add(
                    "mentee \(people[instance.mentees[l.mentee]].id) has two locked mentors in tier \(instance.tiers[t].name ?? "")", family: family)
            }
            start.slotTaken[l.mentee * nT + t] = true
        }
        for (m, c) in start.capacity.enumerated() where c < 0 {
            conflicts.add(
                "mentor \(people[instance.mentors[m]].id) has \(instance.capacity[m] - c) locked mentees but capacity \(instance.capacity[m])",
                family: family)
        }
        return conflicts.lines.isEmpty ? .success(start) : .failure(conflicts)
    }

    /// The network with every eligible pair as an arc from its mentee's tier node, and those arcs' pairs.
    private func network(
        _ start: LockedStart, candidates: CandidatePairs, gains: (coverage: Int64, mentor: Int64), weights: [Int64]
    ) -> (MinCostFlow, [(arc: Int, pair: Int)]) {
        let nE = instance.mentees.count, nM = instance.mentors.count, nT = instance.tiers.count
        let nodes = Layout(mentees: nE, tiers: nT)
        var net = MinCostFlow(nodeCount: nodes.mentor(nM))
        for es in 0..<nE {
            let free = (0..<nT).filter { !start.slotTaken[es * nT + $0] }.count
            guard free > 0 else { continue }
            if start.prematched[es] {
                net.addArc(from: nodes.source, to: nodes.mentee(es), capacity: free, cost: 0)
            } else {
                net.addArc(from: nodes.source, to: nodes.mentee(es), capacity: 1, cost: -gains.coverage * weights[es])
                if free > 1 { net.addArc(from: nodes.source, to: nodes.mentee(es), capacity: free - 1, cost: 0) }
            }
            for t in 0..<nT where !start.slotTaken[es * nT + t] { net.addArc(from: nodes.mentee(es), to: nodes.tier(es, t), capacity: 1, cost: 0) }
        }
        let used = Set(start.locks.map(\.mentor))
        for ms in 0..<nM where start.capacity[ms] > 0 {
            let places = start.capacity[ms]
            if gains.mentor > 0 && !used.contains(ms) {
                net.addArc(from: nodes.mentor(ms), to: nodes.sink, capacity: 1, cost: -gains.mentor)
                if places > 1 { net.addArc(from: nodes.mentor(ms), to: nodes.sink, capacity: places - 1, cost: 0) }
            } else {
                net.addArc(from: nodes.mentor(ms), to: nodes.sink, capacity: places, cost: 0)
            }
        }
        let lockedKeys = Set(start.locks.map { MatchInstance.pairKey($0.mentor, $0.mentee) })
        var pairArc: [(arc: Int, pair: Int)] = []
        for es in 0..<nE {
            for k in candidates.pairs(ofMentee: es) {
                let ms = Int(candidates.mentor[k])
                guard start.capacity[ms] > 0, !lockedKeys.contains(MatchInstance.pairKey(ms, es)) else { continue }
                let t = instance.tier(mentor: ms, mentee: es)!
                guard !start.slotTaken[es * nT + t] else { continue }
                let arc = net.addArc(from: nodes.tier(es, t), to: nodes.mentor(ms), capacity: 1, cost: -Int64(candidates.points[k]))
                pairArc.append((arc.index, k))
            }
        }
        return (net, pairArc)
    }

    /// What holds without the flow: only mentees with an eligible pair (or a lock) can be matched.
    private func stoppedProof(_ candidates: CandidatePairs, prematched: [Bool], weights: [Int64]) -> Proof? {
        guard instance.policy.objective.stages.first == .coverage else { return Proof(ending: .stopped) }
        let bound = instance.mentees.indices.reduce(0) { sum, es in
            sum + (prematched[es] || !candidates.pairs(ofMentee: es).isEmpty ? Int(weights[es]) : 0)
        }
        return Proof(ending: .stopped, coverageBound: bound)
    }
}
