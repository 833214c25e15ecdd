import FlowEngine
import MatchModel

extension RuleRepair {
    /// Pairs per mentee in the reassignment network besides its own.
    var reassignmentPairsPerMentee: Int { 32 }

    /// The best cohort with the same matched count in every *type* as `cohort` — a type is
    /// the set of mentees alike in every access rule (each group_access attribute's value,
    /// the department when department access is on, and the coverage weight).
    ///
    /// Access rows depend only on those counts, so every cohort with the same counts keeps
    /// them; among those cohorts the best one is a minimum-cost flow: source → type (at most
    /// its count) → mentee (worth `W·weight`) → [mentor's department node] → mentor → sink.
    /// With `W` above any points difference, the flow fills every type to its count (the
    /// cohort itself is such a flow), so coverage stays and points are the most possible.
    /// The reach row is not in the network: when the flow breaks it, the caller moves
    /// from `cohort` towards it by cycles (``CycleRepair``).
    ///
    /// The network holds each mentee's ``reassignmentPairsPerMentee`` best pairs and its own,
    /// so its size does not grow with the roster's density (a heuristic step: the proof is elsewhere).
    ///
    /// One mentor a mentee only: with more places, a mentee's further places would not pass
    /// its type's count. Locked pairs stay as they are.
    /// - Returns: the reassigned cohort (locks included), or `nil` when it does not apply.
    /// - Complexity: one minimum-cost flow on the eligible pairs of the mentees outside locks.
    func reassignKeepingCounts(_ cohort: [(mentor: Int, mentee: Int)], locked: Set<UInt64>) -> [(mentor: Int, mentee: Int)]? {
        guard instance.menteeLimit.allSatisfy({ $0 == 1 }) else { return nil }
        let nE = instance.mentees.count, nM = instance.mentors.count
        let people = instance.people
        let equity = instance.policy.equity
        var room = instance.capacity
        var fixed = [Bool](repeating: false, count: nE)
        var locks: [(mentor: Int, mentee: Int)] = []
        var departmentRoom: [UInt64: Int] = [:]
        let cap = equity.maxSameDepartmentPerMentor
        func departmentKey(_ m: Int, _ e: Int) -> UInt64 {
            UInt64(m) << 32 | UInt64(UInt32(bitPattern: instance.departmentID[instance.mentees[e]]))
        }
        for p in cohort where locked.contains(MatchInstance.pairKey(p.mentor, p.mentee)) {
            room[p.mentor] -= 1
            fixed[p.mentee] = true
            locks.append(p)
            if let cap { departmentRoom[departmentKey(p.mentor, p.mentee), default: cap] -= 1 }
        }
        // Types: one key per combination of what the access rules read.
        var typeOf = [Int](repeating: 0, count: nE)
        var typeIndex: [[String]: Int] = [:]
        for e in 0..<nE {
            let p = people[instance.mentees[e]]
            var key = equity.groupAccess.map { p.attributes[$0.attribute] ?? "\u{0}" }
            if equity.departmentAccessTolerance != nil { key.append(p.department) }
            key.append(String(p.priority.coverageWeight))
            if let t = typeIndex[key] {
                typeOf[e] = t
            } else {
                typeOf[e] = typeIndex.count
                typeIndex[key] = typeOf[e]
            }
        }
        var ownMentor = [Int?](repeating: nil, count: nE)
        for p in cohort { ownMentor[p.mentee] = p.mentor }
        var count = [Int](repeating: 0, count: typeIndex.count)
        for p in cohort where !fixed[p.mentee] { count[typeOf[p.mentee]] += 1 }

        // Nodes: 0 source, 1 sink, types, mentees, mentors, then department nodes as needed.
        let typeBase = 2, menteeBase = typeBase + count.count, mentorBase = menteeBase + nE
        var departmentNode: [UInt64: Int] = [:]
        var nodeCount = mentorBase + nM
        if let cap {
            for e in 0..<nE where !fixed[e] {
                for c in eligible[e].prefix(reassignmentPairsPerMentee) where instance.capacity[c.mentor] > cap {
                    let key = departmentKey(c.mentor, e)
                    if departmentNode[key] == nil {
                        departmentNode[key] = nodeCount
                        nodeCount += 1
                    }
                }
            }
        }
        var network = MinCostFlow(nodeCount: nodeCount)
        for (t, c) in count.enumerated() where c > 0 { network.addArc(from: 0, to: typeBase + t, capacity: c, cost: 0) }
        var pairArcs: [(arc: MinCostFlow.ArcID, mentor: Int, mentee: Int)] = []
        for e in 0..<nE where !fixed[e] && count[typeOf[e]] > 0 && !eligible[e].isEmpty {
            let weight = Int64(people[instance.mentees[e]].priority.coverageWeight)
            network.addArc(from: typeBase + typeOf[e], to: menteeBase + e, capacity: 1, cost: -w * weight)
            // Each mentee's best pairs (``eligible`` lists them best first) and its own pair.
            let own = ownMentor[e]
            for (i, c) in eligible[e].enumerated() where room[c.mentor] > 0 && (i < reassignmentPairsPerMentee || c.mentor == own) {
                let target = departmentNode[departmentKey(c.mentor, e)] ?? mentorBase + c.mentor
                pairArcs.append((network.addArc(from: menteeBase + e, to: target, capacity: 1, cost: -Int64(c.points)), c.mentor, e))
            }
        }
        if let cap {
            for (key, node) in departmentNode {
                let m = Int(key >> 32)
                network.addArc(from: node, to: mentorBase + m, capacity: max(0, departmentRoom[key] ?? cap), cost: 0)
            }
        }
        for m in 0..<nM where room[m] > 0 { network.addArc(from: mentorBase + m, to: 1, capacity: room[m], cost: 0) }
        let (solution, complete) = network.solve(source: 0, sink: 1)
        guard complete else { return nil }
        var out = locks
        for p in pairArcs where solution.flow[p.arc.index] > 0 { out.append((p.mentor, p.mentee)) }
        return out
    }
}
