import MatchModel

/// `max_same_department_per_mentor` as part of the network: a mentor with more
/// places than the cap gets one node per department, fed by that department's
/// mentees and feeding the mentor with at most the cap (less any locked pairs).
/// Mentors whose capacity is within the cap cannot break the rule and keep direct arcs.
struct DepartmentLayer: Sendable {
    let cap: Int
    let departments: Int
    /// Per mentor slot: index among split mentors, or −1.
    let split: [Int32]
    let menteeDept: [Int32]
    /// (layer node, mentor slot, room) for every split mentor × department.
    let nodes: [(node: Int, mentor: Int, room: Int)]
    /// Locked pairs beyond the cap: (mentor slot, department name, count).
    let overfull: [(Int, String, Int)]

    var nodeCount: Int { nodes.count }

    init(instance: MatchInstance, scanner: PairScanner, locks: [(mentor: Int, mentee: Int)]) {
        menteeDept = scanner.menteeDept
        guard let k = instance.policy.equity.maxSameDepartmentPerMentor else {
            cap = 0
            departments = 0
            split = []
            nodes = []
            overfull = []
            return
        }
        cap = k
        let d = Int((scanner.menteeDept.max() ?? -1) + 1)
        departments = d
        var split = [Int32](repeating: -1, count: instance.mentors.count)
        var count = 0
        for ms in instance.mentors.indices where instance.capacity[ms] > k {
            split[ms] = Int32(count)
            count += 1
        }
        self.split = split
        // Locked pairs per (mentor, department), and those beyond the cap in the order they pass it.
        var locked = [Int: Int]()
        var over: [(key: Int, mentor: Int, department: String)] = []
        for l in locks {
            let key = l.mentor * d + Int(scanner.menteeDept[l.mentee])
            locked[key, default: 0] += 1
            if locked[key] == k + 1 { over.append((key, l.mentor, instance.people[instance.mentees[l.mentee]].department)) }
        }
        overfull = over.map { ($0.mentor, $0.department, locked[$0.key]!) }
        var nodes: [(Int, Int, Int)] = []
        for ms in instance.mentors.indices where split[ms] >= 0 {
            for dept in 0..<d {
                nodes.append((Int(split[ms]) * d + dept, ms, k - locked[ms * d + dept, default: 0]))
            }
        }
        self.nodes = nodes
    }

    /// The layer node (index in ``nodes``) of a pair, when its mentor is split.
    @inline(__always)
    func node(mentor ms: Int, mentee es: Int) -> Int? {
        guard departments > 0, split[ms] >= 0 else { return nil }
        return Int(split[ms]) * departments + Int(menteeDept[es])
    }

    /// The node a pair's arc enters: the mentor, or the mentor's node for the mentee's department.
    @inline(__always)
    func target(mentor ms: Int, mentee es: Int, mentorBase: Int, layerBase: Int) -> Int {
        guard departments > 0, split[ms] >= 0 else { return mentorBase + ms }
        return layerBase + Int(split[ms]) * departments + Int(menteeDept[es])
    }
}
