import MatchModel

extension NetworkSolver {
    /// What the locked pairs leave to the flow: they are fixed before it, each using a place on both sides.
    struct LockedStart {
        var locks: [(mentor: Int, mentee: Int)]
        /// Each mentor slot's places left.
        var capacity: [Int]
        /// Each mentee slot's places left.
        var places: [Int]
        /// Mentees a lock already matches: their further places gain no coverage.
        var prematched: [Bool]
        var lockedKeys: Set<UInt64>
        var layer: DepartmentLayer
    }

    /// Fixes the locked pairs, or says — worded for people — which rules they break on their own.
    func fixLocks() -> Result<LockedStart, LockConflicts> {
        let (locks, lockProblems) = instance.resolveLocks()
        var capacity = instance.capacity
        var places = instance.menteeLimit
        var prematched = Array(repeating: false, count: instance.mentees.count)
        var lockedKeys = Set<UInt64>()
        for l in locks {
            capacity[l.mentor] -= 1
            places[l.mentee] -= 1
            prematched[l.mentee] = true
            lockedKeys.insert(MatchInstance.pairKey(l.mentor, l.mentee))
        }
        var conflicts = LockConflicts(lines: lockProblems)
        for (m, c) in capacity.enumerated() where c < 0 {
            conflicts.add(
                "mentor \(instance.people[instance.mentors[m]].id) has \(instance.capacity[m] - c) locked mentees but capacity \(instance.capacity[m])",
                family: "mentor capacity")
        }
        for (e, p) in places.enumerated() where p < 0 {
            conflicts.add(
                "mentee \(instance.people[instance.mentees[e]].id) has \(instance.menteeLimit[e] - p) locked mentors but may have \(instance.menteeLimit[e])",
                family: "rules.mentors_per_mentee")
        }
        let layer = DepartmentLayer(instance: instance, scanner: scanner, locks: locks)
        for (ms, dept, count) in layer.overfull {
            conflicts.add(
                "mentor \(instance.people[instance.mentors[ms]].id) has \(count) locked mentees from department \(dept) but max_same_department_per_mentor is \(layer.cap)",
                family: "equity.max_same_department_per_mentor")
        }
        if !conflicts.lines.isEmpty { return .failure(conflicts) }
        return .success(
            LockedStart(locks: locks, capacity: capacity, places: places, prematched: prematched, lockedKeys: lockedKeys, layer: layer))
    }

    /// Locks that cannot all hold: each problem in a sentence, headed by the rules they break together.
    struct LockConflicts: Error {
        private(set) var lines: [String]
        private var families: [String] = []

        init(lines: [String]) { self.lines = lines }

        mutating func add(_ line: String, family: String) {
            lines.append(line)
            if !families.contains(family) { families.append(family) }
        }

        /// The sentences in the order people read them: the rules first, then each problem.
        var sentences: [String] {
            families.isEmpty ? lines : ["these rules cannot all hold: locked pairs + " + families.joined(separator: " + ")] + lines
        }
    }
}
