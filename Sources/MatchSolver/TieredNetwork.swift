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

    public func solve() throws -> SolveOutcome {
        let clock = Clock(limit: instance.policy.solver.timeLimitSeconds)
        let candidates = CandidatePairs(instance)
        let nE = instance.mentees.count, nM = instance.mentors.count, nT = instance.tiers.count
        let people = instance.people
        // Locks use a place on each side and their tier's slot.
        let (locks, lockProblems) = instance.resolveLocks()
        var capacity = instance.capacity
        var slotTaken = [Bool](repeating: false, count: nE * nT)
        var prematched = [Bool](repeating: false, count: nE)
        var conflicts = lockProblems
        for l in locks {
            capacity[l.mentor] -= 1
            prematched[l.mentee] = true
            let t = instance.tier(mentor: l.mentor, mentee: l.mentee)!
            if slotTaken[l.mentee * nT + t] {
                conflicts.append("mentee \(people[instance.mentees[l.mentee]].id) has two locked mentors in tier \(instance.tiers[t].name ?? "")")
            }
            slotTaken[l.mentee * nT + t] = true
        }
        for (m, c) in capacity.enumerated() where c < 0 {
            conflicts.append(
                "mentor \(people[instance.mentors[m]].id) has \(instance.capacity[m] - c) locked mentees but capacity \(instance.capacity[m])")
        }
        if !conflicts.isEmpty {
            if lockProblems.count < conflicts.count {
                conflicts.insert("these rules cannot all hold: locked pairs + tiers or mentor capacity", at: 0)
            }
            return SolveOutcome(
                status: .infeasible, pairs: [], eligiblePairs: candidates.count, objective: CohortCheck.objective(instance, pairs: []),
                stages: [], conflicts: conflicts, proof: nil, finalModel: nil, seconds: clock.elapsed)
        }
        let lockedKeys = Set(locks.map { MatchInstance.pairKey($0.mentor, $0.mentee) })
        let maxPoints = Int64(candidates.points.max() ?? 0)
        let maxPairs = min(nE * nT, capacity.reduce(0) { $0 + max($1, 0) })
        let w = maxPoints * Int64(maxPairs) + 1
        let weights = instance.mentees.map { Int64(people[$0].priority.coverageWeight) }
        let gains = try NetworkSolver.stageGains(instance.policy.objective, w: w, coverageMax: weights.reduce(0, +), mentorMax: Int64(nM))

        // Nodes: source, sink, mentees, tier nodes (mentee-major), mentors.
        let menteeBase = 2, tierBase = 2 + nE, mentorBase = 2 + nE + nE * nT
        var net = MinCostFlow(nodeCount: mentorBase + nM)
        for es in 0..<nE {
            let free = (0..<nT).filter { !slotTaken[es * nT + $0] }.count
            guard free > 0 else { continue }
            if prematched[es] {
                net.addArc(from: 0, to: menteeBase + es, capacity: free, cost: 0)
            } else {
                net.addArc(from: 0, to: menteeBase + es, capacity: 1, cost: -gains.coverage * weights[es])
                if free > 1 { net.addArc(from: 0, to: menteeBase + es, capacity: free - 1, cost: 0) }
            }
            for t in 0..<nT where !slotTaken[es * nT + t] { net.addArc(from: menteeBase + es, to: tierBase + es * nT + t, capacity: 1, cost: 0) }
        }
        let used = Set(locks.map(\.mentor))
        for ms in 0..<nM where capacity[ms] > 0 {
            if gains.mentor > 0 && !used.contains(ms) {
                net.addArc(from: mentorBase + ms, to: 1, capacity: 1, cost: -gains.mentor)
                if capacity[ms] > 1 { net.addArc(from: mentorBase + ms, to: 1, capacity: capacity[ms] - 1, cost: 0) }
            } else {
                net.addArc(from: mentorBase + ms, to: 1, capacity: capacity[ms], cost: 0)
            }
        }
        var pairArc: [(arc: Int, pair: Int)] = []
        for es in 0..<nE {
            for k in candidates.pairs(ofMentee: es) {
                let ms = Int(candidates.mentor[k])
                guard capacity[ms] > 0, !lockedKeys.contains(MatchInstance.pairKey(ms, es)) else { continue }
                let t = instance.tier(mentor: ms, mentee: es)!
                guard !slotTaken[es * nT + t] else { continue }
                let arc = net.addArc(from: tierBase + es * nT + t, to: mentorBase + ms, capacity: 1, cost: -Int64(candidates.points[k]))
                pairArc.append((arc.index, k))
            }
        }
        progress?("tiers: one flow on \(net.arcCount) arcs (\(candidates.count) eligible pairs)")
        let stop = shouldStop
        let (solution, complete) = net.solveByCostScaling(source: 0, sink: 1, stop: { stop() || (clock.remaining ?? 1) <= 0 })
        let certified = complete
        if complete && !net.certifies(solution, source: 0, sink: 1) {
            throw SolverFailure(message: "the tiered flow ended without a certificate of optimality")
        }
        var pairs = locks
        // A flow stopped early may not respect every arc's bound yet: keep its pairs while each mentor has
        // room and each tier slot is free (a subset of a cohort without side rules keeps every rule).
        var room = capacity, slotFree = slotTaken.map { !$0 }
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
            name: "network: tiers, every stage in one flow", termination: certified ? .optimal : .timeLimit, objective: nil, bound: nil,
            seconds: clock.elapsed, variables: net.arcCount, constraints: net.nodeCount)
        return SolveOutcome(
            status: certified ? .optimal : .timeLimit, pairs: pairs.sorted { ($0.mentee, $0.mentor) < ($1.mentee, $1.mentor) },
            eligiblePairs: candidates.count, objective: CohortCheck.objective(instance, pairs: pairs.map { ($0.mentor, $0.mentee) }),
            stages: [stage], conflicts: [], proof: certified ? nil : stoppedProof(candidates, prematched: prematched, weights: weights),
            finalModel: nil, seconds: clock.elapsed)
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
