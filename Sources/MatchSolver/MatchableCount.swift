import FlowEngine

/// How many mentees of given groups can be matched at once over a solve's candidate pairs and the
/// mentors' capacities: maximum flows (source → group → mentee, one unit → its mentors → sink).
/// Every cohort is such a flow, whatever its other rules, so the access rules' counting
/// (``EquityMath/matchedCountLimit(mentees:rules:upTo:canMatch:mostMatched:reaches:)``) can ask
/// that a count's shares fit at once: at tolerance 0, 788 mentees with 212 in one group allow only
/// 0, 197, 394, 591 or 788 matched; when the mentors cannot take 159 of the one group and 432 of
/// the other together, 591 is out of reach — which GLPK's tree took 12 s to find.
/// - Complexity: O(pairs · log mentees) per flow (a few phases of the primal–dual flow: paths cost one of two amounts).
struct MatchableCount {
    private let pairsOfMentee: [[Int32]]
    private let capacity: [Int]

    /// `pairs`: (mentor slot, mentee slot) of every pair a cohort of the solve may use.
    init(instance: MatchInstance, pairs: [(mentor: Int, mentee: Int)]) {
        var byMentee = [[Int32]](repeating: [], count: instance.mentees.count)
        for p in pairs { byMentee[p.mentee].append(Int32(p.mentor)) }
        pairsOfMentee = byMentee
        capacity = instance.capacity
    }

    /// The most of `members` (mentee slots) matched at once.
    func most(_ members: [Int]) -> Int { flow(groups: [members], least: [0]).sent }

    /// Whether some cohort matches at least `least[g]` of each group g (disjoint mentee sets) and
    /// `total` mentees of them together, over the candidate pairs and the mentors' capacities.
    func reaches(groups: [[Int]], least: [Int], total: Int) -> Bool {
        guard least.reduce(0, +) <= total else { return false }
        let f = flow(groups: groups, least: least)
        return f.sharesMet && f.sent >= total
    }

    /// The largest flow source → group → mentee → mentor → sink whose first `least[g]` units into
    /// each group are worth more than any other unit: whether every group got its least share, and
    /// how many mentees were matched in all.
    private func flow(groups: [[Int]], least: [Int]) -> (sharesMet: Bool, sent: Int) {
        let members = groups.flatMap { $0 }
        // Nodes: 0 source, 1 sink, the groups, the members, then the mentors they reach.
        let base = 2 + groups.count
        var mentorNode: [Int32: Int] = [:]
        var next = base + members.count
        for e in members {
            for m in pairsOfMentee[e] where mentorNode[m] == nil {
                mentorNode[m] = next
                next += 1
            }
        }
        var network = MinCostFlow(nodeCount: next)
        let big = Int64(members.count + 1)
        var needed: [MinCostFlow.ArcID] = [], extra: [MinCostFlow.ArcID] = []
        var slot = base
        for (g, group) in groups.enumerated() {
            let need = min(least[g], group.count)
            needed.append(network.addArc(from: 0, to: 2 + g, capacity: need, cost: -big))
            extra.append(network.addArc(from: 0, to: 2 + g, capacity: group.count - need, cost: -1))
            for e in group {
                network.addArc(from: 2 + g, to: slot, capacity: 1, cost: 0)
                for m in pairsOfMentee[e] { network.addArc(from: slot, to: mentorNode[m]!, capacity: 1, cost: 0) }
                slot += 1
            }
        }
        for (m, node) in mentorNode.sorted(by: { $0.value < $1.value }) where capacity[Int(m)] > 0 {
            network.addArc(from: node, to: 1, capacity: capacity[Int(m)], cost: 0)
        }
        let (solution, _) = network.solve(source: 0, sink: 1)
        let flowOn = { (arc: MinCostFlow.ArcID) in Int(solution.flow[arc.index]) }
        let sharesMet = groups.indices.allSatisfy { flowOn(needed[$0]) >= least[$0] }
        return (sharesMet, (needed + extra).reduce(0) { $0 + flowOn($1) })
    }
}
